"""The evaluation's part of the dashboard: surveys waiting for an enterprise's answer, the qualitative indicators
the city has still to judge, where the latest evaluation year stands, and the trends of the last years (total
score, budget execution, supported enterprises, amount paid) once there are two years to compare."""

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.charts import column_chart
from core.dashboard import FigurePanel, Waiting, queue_items, waiting_counts

from . import trends
from .constants import Direction, Source, SurveyStatus
from .models import EvaluationYear, Indicator
from .selectors import surveys_for_enterprise


def evaluation_dashboard(user):
    if user.has_perm("evaluation.answer_survey"):
        counts = waiting_counts(surveys_for_enterprise(user).select_related(None), {
            "survey": Waiting(Q(status=SurveyStatus.OPEN, answered=False), "updated_at")})
        return queue_items(counts, [("survey", _("Surveys waiting for your answer"),
                                     reverse("evaluation:my_surveys"), _("A few questions on the fund's service"))])
    if not user.has_perm("evaluation.view_evaluation"):
        return []
    year = EvaluationYear.objects.order_by("-year").only("year", "status", "created_at").first()
    if year is None:
        return [FigurePanel(_("Performance evaluation"), _("No evaluation year yet"), url=reverse("evaluation:index"))]
    parts = []
    if user.has_perm("evaluation.edit_evaluation"):
        counts = waiting_counts(Indicator.objects.filter(year=year), {
            "unjudged": Waiting(Q(source=Source.JUDGED, direction=Direction.QUALITATIVE, judgement__isnull=True),
                                "year__created_at")})
        parts += queue_items(counts, [("unjudged", _("Qualitative indicators not judged"),
                                       reverse("evaluation:indicator_list", args=[year.year]),
                                       _("Judge each with its evidence"))])
    parts.append(FigurePanel(_("%(year)s performance evaluation") % {"year": year.year}, year.get_status_display(),
                             url=reverse("evaluation:year_detail", args=[year.year])))
    return parts + trend_panels()


TREND_YEARS = 4
TREND_KEYS = ("total", "execution", "supported", "paid")
# Scoring a year reads every indicator's records (a few dozen queries a year): the dashboard keeps the figures of
# the last years in the shared cache for a few minutes, as of the time it states.
TREND_CACHE_SECONDS = 600


def trend_figures(years):
    """{"labels": [years], key: (display texts, chart values)} of ``years``, from the shared cache."""
    key = "evaluation:trends:" + ",".join(str(y.year) for y in years)
    cached = cache.get(key)
    if cached is None:
        found = trends.year_trends(years)
        cached = {"labels": found.labels,  # plain values only: the labels are translated for each reader
                  **{k: (found.figures[k].displays, found.figures[k].chart_values) for k in TREND_KEYS}}
        cache.set(key, cached, TREND_CACHE_SECONDS)
    return cached


def trend_panels():
    """One FigurePanel per compared figure, with a column per year (nothing while there is only one year)."""
    years = trends.recent_years(TREND_YEARS)
    if len(years) < 2:
        return []
    figures, panels = trend_figures(years), []
    labels = figures["labels"]
    for key in TREND_KEYS:
        displays, values = figures[key]
        title = _("%(figure)s by year") % {"figure": trends.FIGURE_LABELS[key]}
        chart = column_chart(title, [(year, value) for year, value in zip(labels, values, strict=True)], height=150)
        by_year = _("; ").join(_("%(year)s: %(value)s") % {"year": year, "value": text}
                               for year, text in zip(labels, displays, strict=True))
        panels.append(FigurePanel(title, displays[-1], basis=by_year, chart=chart,
                                  url=reverse("evaluation:county_comparison") if key == "paid" else ""))
    return panels
