"""Embedded demo mode: SQLite, eager tasks, files on local disk, DEBUG on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
