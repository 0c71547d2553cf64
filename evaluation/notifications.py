"""Who hears of the performance evaluation: the invited enterprises when a satisfaction survey opens.

Subscribers of core.events, imported from ``EvaluationConfig.ready``.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.events import subscribe
from core.notifications import LazyFormat, announce_event

from .models import SurveyInvitation


@subscribe("evaluation.survey_open")
def survey_opened(event):
    survey = event.obj
    invited = SurveyInvitation.objects.filter(survey=survey, organisation__is_active=True).values("organisation_id")
    users = User.objects.filter(organisation_id__in=invited, role=Role.ENTERPRISE, is_active=True)
    announce_event(event, users, LazyFormat(_("Satisfaction survey: %(title)s"), title=survey.title),
                   _("Please tell us how satisfied you are with the special fund's work. It takes two minutes."),
                   reverse("evaluation:survey_answer", args=[survey.pk]))
