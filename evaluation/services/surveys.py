"""The satisfaction survey: city staff open it for enterprises; each enterprise answers once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role
from core.audit import audit_record
from core.locking import locked_for_edit
from core.workflow import transition

from ..computed import adapters
from ..constants import SurveyStatus
from ..models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse
from ..workflow import SURVEY_TRANSITIONS
from . import require

EDIT = "evaluation.edit_evaluation"

DEFAULT_QUESTIONS = [
    "对专项资金政策宣传和申报通知的及时性、清晰度是否满意？",
    "对申报材料要求和申报流程的便捷程度是否满意？",
    "对县区受理、市级审核和专家评审工作的公正透明是否满意？",
    "对奖补资金拨付的及时性是否满意？",
    "对工作人员的服务态度和答复效率是否满意？",
    "对专项资金支持企业发展的总体效果是否满意？",
]


def enterprises_with_users():
    return Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, is_active=True,
                                       users__is_active=True, users__role=Role.ENTERPRISE).distinct()


def funded_enterprises(year):
    """The enterprises funded in ``year`` (computed.adapters.funded_enterprises), or None without data."""
    result = adapters.funded_enterprises(year)
    return None if isinstance(result, adapters.NoData) else result


def respondents(survey, selected=()):
    if survey.scope == Survey.Scope.SELECTED:
        return list(selected)
    if survey.scope == Survey.Scope.ALL_WITH_USERS:
        return list(enterprises_with_users())
    funded = funded_enterprises(survey.year)
    if funded is None:
        raise ValidationError(_("The funded enterprises are not available yet; select enterprises instead."))
    return list(funded)


@transaction.atomic
def survey_create(*, actor, year, title, intro, scope, questions, organisations=()):
    require(actor, EDIT)
    survey = Survey(year=year, title=title, intro=intro, scope=scope, created_by=actor)
    survey.full_clean()
    survey.save()
    SurveyQuestion.objects.bulk_create(SurveyQuestion(survey=survey, order=i, text=text)
                                       for i, text in enumerate(questions, start=1))
    if scope == Survey.Scope.SELECTED:
        SurveyInvitation.objects.bulk_create(SurveyInvitation(survey=survey, organisation=org)
                                             for org in organisations)
    audit_record(actor=actor, action="evaluation.survey_create", obj=survey, data={"scope": scope})
    return survey


def survey_open(*, actor, survey, version=None):
    require(actor, EDIT)
    with transaction.atomic():
        survey = locked_for_edit(survey, version)
        orgs = respondents(survey, selected=[inv.organisation for inv in survey.invitations.all()])
        if not orgs:
            raise ValidationError(_("Nobody would be asked: choose at least one enterprise."))
        SurveyInvitation.objects.bulk_create([SurveyInvitation(survey=survey, organisation=org) for org in orgs],
                                             ignore_conflicts=True)
        survey = transition(survey, "open", actor=actor, table=SURVEY_TRANSITIONS,
                            audit_action="evaluation.survey_open")
    return survey


def survey_close(*, actor, survey, version=None):
    require(actor, EDIT)
    with transaction.atomic():
        return transition(survey, "close", actor=actor, table=SURVEY_TRANSITIONS, expected_version=version,
                          audit_action="evaluation.survey_close")


def survey_reopen(*, actor, survey, version=None):
    require(actor, EDIT)
    with transaction.atomic():
        return transition(survey, "reopen", actor=actor, table=SURVEY_TRANSITIONS, expected_version=version,
                          audit_action="evaluation.survey_reopen")


def response_submit(*, actor, survey, ratings, comment=""):
    """Record the enterprise's answers once; a second submission (even a racing one) is refused."""
    require(actor, "evaluation.answer_survey")
    if not SurveyInvitation.objects.filter(survey=survey, organisation_id=actor.organisation_id).exists():
        raise PermissionDenied
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("This survey is not open for answers."))
    questions = {q.pk for q in survey.questions.all()}
    if set(ratings) != questions or any(r not in range(1, 6) for r in ratings.values()):
        raise ValidationError(_("Answer every question with one of the five ratings."))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, organisation_id=actor.organisation_id,
                                                     submitted_by=actor, comment=comment.strip()[:2000])
            SurveyAnswer.objects.bulk_create(SurveyAnswer(response=response, question_id=qid, rating=rating)
                                             for qid, rating in ratings.items())
            audit_record(actor=actor, action="evaluation.survey_answer", obj=survey)
    except IntegrityError:
        raise ValidationError(_("Your enterprise has already answered this survey."))
    return response
