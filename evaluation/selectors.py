"""Every read a view or task makes, already scoped to what the user may see."""

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, Value

from accounts.roles import Role

from .constants import SurveyStatus
from .models import (
    EvaluationYear,
    Evidence,
    MonitoringSnapshot,
    ReportJob,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)


def can_view(user):
    """Whether ``user`` sees the evaluation pages (every year: the years have no further scope)."""
    return bool(user and user.is_authenticated and user.has_perm("evaluation.view_evaluation"))


def years_for(user):
    if not can_view(user):
        return EvaluationYear.objects.none()
    return EvaluationYear.objects.annotate(indicator_count=Count("indicators"))


def evidence_for(user):
    if not (user and user.is_authenticated and user.has_perm("evaluation.view_evidence")):
        return Evidence.objects.none()
    return Evidence.objects.select_related("indicator__year")


def surveys_for_staff(user, year):
    if not can_view(user):
        return Survey.objects.none()
    return (Survey.objects.filter(year=year)
            .annotate(invited=Count("invitations", distinct=True), answered=Count("responses", distinct=True)))


def snapshots_for(user, year):
    if not can_view(user):
        return MonitoringSnapshot.objects.none()
    return MonitoringSnapshot.objects.filter(year=year).select_related("created_by")


def report_jobs_for(user, year=None):
    if not (user and user.is_authenticated and user.has_perm("evaluation.export_evaluation")):
        return ReportJob.objects.none()
    jobs = ReportJob.objects.select_related("year", "requested_by")
    return jobs.filter(year=year) if year is not None else jobs


def surveys_for_enterprise(user):
    """The open or closed surveys the user's enterprise was invited to, with whether it has answered."""
    if not (user and user.is_authenticated and user.role == Role.ENTERPRISE and user.organisation_id):
        # same shape as below (callers filter on ``answered``), but empty
        return Survey.objects.none().annotate(answered=Value(False, output_field=BooleanField()))
    org = user.organisation_id
    invited = SurveyInvitation.objects.filter(survey=OuterRef("pk"), organisation_id=org)
    answered = SurveyResponse.objects.filter(survey=OuterRef("pk"), organisation_id=org)
    return (Survey.objects.filter(Exists(invited)).exclude(status=SurveyStatus.DRAFT)
            .annotate(answered=Exists(answered)).select_related("year"))


def pending_survey_count(user):
    return surveys_for_enterprise(user).filter(status=SurveyStatus.OPEN, answered=False).count()


def survey_results(survey):
    """Per question: count of each rating and the share satisfied (4 or 5)."""
    rows = []
    questions = survey.questions.annotate(
        total=Count("answers"), satisfied=Count("answers", filter=Q(answers__rating__gte=4)),
        r5=Count("answers", filter=Q(answers__rating=5)), r4=Count("answers", filter=Q(answers__rating=4)),
        r3=Count("answers", filter=Q(answers__rating=3)), r2=Count("answers", filter=Q(answers__rating=2)),
        r1=Count("answers", filter=Q(answers__rating=1)))
    for q in questions:
        rows.append(q)
    return rows
