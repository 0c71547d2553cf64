"""The evaluation's part of the dashboard: surveys waiting for an enterprise's answer, the qualitative indicators
the city has still to judge, and where the latest evaluation year stands."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import FigurePanel, Waiting, queue_items, waiting_counts

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
    return parts
