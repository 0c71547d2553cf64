"""Indicators computed from the platform's own records: one function per indicator, in a registry.

A function takes the evaluation year (and ``as_of`` for mid-year monitoring) and returns ``Computed``:
the actual value with the inputs it was computed from and links to the records it counted, or
``Computed.missing(reason)`` when the records do not exist yet. Never a made-up number.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Computed:
    actual: Decimal | None
    inputs: tuple = field(default_factory=tuple)  # ((label, value as text), ...)
    evidence: tuple = field(default_factory=tuple)  # (Link, ...)
    note: str = ""  # e.g. that a figure was entered by hand until another module supplies it
    missing_reason: str = ""

    @property
    def available(self):
        return self.actual is not None

    @classmethod
    def missing(cls, reason):
        return cls(actual=None, missing_reason=str(reason))


@dataclass(frozen=True)
class Spec:
    key: str
    indicator: int  # the indicator number it serves in the catalogue
    label: str
    function: object
    description: str = ""  # what is counted, in words, for the indicator page


REGISTRY: dict[str, Spec] = {}


def register(key, indicator, label, description=""):
    def decorator(function):
        REGISTRY[key] = Spec(key, indicator, label, function, description)
        return function

    return decorator


def compute(key, year, *, as_of=None):
    spec = REGISTRY.get(key)
    if spec is None:
        return Computed.missing(_("No computation is registered under “%(key)s”.") % {"key": key})
    return spec.function(year, as_of=as_of)


def describe(key):
    """What the computation under ``key`` counts, in words ("" when none is registered)."""
    spec = REGISTRY.get(key)
    return spec.description if spec else ""


def choices():
    return [(spec.key, f"{spec.indicator}. {spec.label}") for spec in sorted(REGISTRY.values(),
                                                                           key=lambda s: s.indicator)]


from . import indicators  # noqa: E402,F401  (fills the registry)
