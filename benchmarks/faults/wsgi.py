"""The project's WSGI application (zhengzhou_grants.wsgi) with what every worker's first request would load
already loaded: the views of every URL and the interface's translations. Gunicorn started with ``preload``
(harness.Gunicorn) loads this once in its master, before it forks: no worker then spends seconds of its first
request importing the views, and two instances on a busy machine come up as fast as one."""

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

from zhengzhou_grants.wsgi import application

get_resolver().url_patterns  # noqa: B018 - imports every view module
for code, _name in settings.LANGUAGES:
    with translation.override(code):  # reads the language's catalogue into the process
        pass

__all__ = ["application"]
