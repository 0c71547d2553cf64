"""Dashboard cards: the latest evaluation year for staff and officials, open surveys for enterprises."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import Card

from .constants import Direction, Source
from .models import EvaluationYear, Indicator
from .selectors import pending_survey_count


def evaluation_cards(user):
    if user.has_perm("evaluation.answer_survey"):
        count = pending_survey_count(user)
        return [Card(_("Surveys waiting for your answer"), count, reverse("evaluation:my_surveys"))] if count else []
    if not user.has_perm("evaluation.view_evaluation"):
        return []
    year = EvaluationYear.objects.order_by("-year").only("year", "status").first()
    if year is None:
        return [Card(_("Performance evaluation"), "—", reverse("evaluation:index"),
                     _("No evaluation year yet"))]
    unjudged = Indicator.objects.filter(year=year, source=Source.JUDGED, direction=Direction.QUALITATIVE,
                                        judgement__isnull=True).count()
    return [
        Card(_("Performance evaluation"), year.year, reverse("evaluation:year_detail", args=[year.year]),
             year.get_status_display()),
        Card(_("Qualitative indicators not judged"), unjudged,
             reverse("evaluation:indicator_list", args=[year.year])),
    ]
