"""Score aggregation for a panel: mean, trimmed mean, median; outlier flags. Decimal arithmetic only."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

TWO_PLACES = Decimal("0.01")


class Method(models.TextChoices):
    MEAN = "mean", _("Mean")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop highest and lowest when 5 or more)")
    MEDIAN = "median", _("Median")


def _q(value):
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values):
    values = [Decimal(v) for v in values]
    if not values:
        raise ValueError("no scores")
    return sum(values) / len(values)


def median(values):
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        raise ValueError("no scores")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def trimmed_mean(values):
    """Drop one highest and one lowest score when there are at least 5, then average."""
    ordered = sorted(Decimal(v) for v in values)
    if len(ordered) >= 5:
        ordered = ordered[1:-1]
    return mean(ordered)


def aggregate(values, method):
    """The panel score of one application, rounded to 2 places."""
    functions = {Method.MEAN: mean, Method.TRIMMED_MEAN: trimmed_mean, Method.MEDIAN: median}
    return _q(functions[Method(method)](values))


def outliers(values, distance):
    """Indexes of the scores further than ``distance`` points from the mean of all scores."""
    if not values:
        return []
    centre = mean(values)
    limit = Decimal(distance)
    return [i for i, v in enumerate(values) if abs(Decimal(v) - centre) > limit]
