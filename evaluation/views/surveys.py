"""Satisfaction survey pages: staff create, open, close and read results; enterprises answer once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import require_perm
from core.workflow import allowed_actions

from ..constants import SurveyStatus
from ..forms import SurveyAnswerForm, SurveyForm, TransitionForm
from ..models import SurveyResponse
from ..selectors import survey_results, surveys_for_enterprise, surveys_for_staff
from ..services import surveys as svc
from ..workflow import SURVEY_TRANSITIONS
from . import EDIT, VIEW, error_text, get_year

ANSWER = "evaluation.answer_survey"


@require_perm(VIEW)
def survey_list(request, year):
    year = get_year(request, year)
    return render(request, "evaluation/survey_list.html",
                  {"year": year, "surveys": surveys_for_staff(request.user, year), "tab": "surveys"})


@require_perm(EDIT)
def survey_create(request, year):
    year = get_year(request, year)
    funded = svc.funded_enterprises(year) is not None
    initial = {"title": _("%(year)s satisfaction survey of the special fund") % {"year": year.year},
               "questions": "\n".join(svc.DEFAULT_QUESTIONS), "scope": "selected"}
    form = SurveyForm(request.POST or None, initial=initial, organisations=svc.enterprises_with_users(),
                      funded_available=funded)
    if request.method == "POST" and form.is_valid():
        try:
            survey = svc.survey_create(actor=request.user, year=year, title=form.cleaned_data["title"],
                                       intro=form.cleaned_data["intro"], scope=form.cleaned_data["scope"],
                                       questions=form.cleaned_data["questions"],
                                       organisations=form.cleaned_data["organisations"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The survey was created as a draft. Open it when it is ready."))
            return redirect("evaluation:survey_detail", year.year, survey.pk)
    return render(request, "evaluation/survey_form.html",
                  {"year": year, "form": form, "funded_available": funded, "tab": "surveys"})


@require_perm(VIEW)
def survey_detail(request, year, pk):
    year = get_year(request, year)
    survey = get_object_or_404(surveys_for_staff(request.user, year), pk=pk)
    questions = survey_results(survey)
    total = sum(q.total for q in questions)
    satisfied = sum(q.satisfied for q in questions)
    responses = (SurveyResponse.objects.filter(survey=survey).select_related("organisation")
                 .order_by("-submitted_at"))
    return render(request, "evaluation/survey_detail.html", {
        "year": year, "survey": survey, "questions": questions, "tab": "surveys",
        "satisfaction": round(satisfied * 100 / total, 2) if total else None,
        "responses": responses[:200],
        "pending": survey.invitations.exclude(organisation__in=responses.values("organisation"))
        .select_related("organisation")[:200],
        "actions": allowed_actions(SURVEY_TRANSITIONS, survey.status, request.user),
    })


@require_perm(EDIT)
@require_POST
def survey_transition(request, year, pk, action):
    year = get_year(request, year)
    survey = get_object_or_404(surveys_for_staff(request.user, year), pk=pk)
    functions = {"open": svc.survey_open, "close": svc.survey_close, "reopen": svc.survey_reopen}
    if action not in functions:
        raise PermissionDenied
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        functions[action](actor=request.user, survey=survey, version=form.cleaned_data["version"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The survey is now: %(status)s.")
                         % {"status": SurveyStatus(survey.__class__.objects.get(pk=survey.pk).status).label})
    return redirect("evaluation:survey_detail", year.year, survey.pk)


@require_perm(ANSWER)
def my_surveys(request):
    return render(request, "evaluation/my_surveys.html", {"surveys": surveys_for_enterprise(request.user)})


@require_perm(ANSWER)
def survey_answer(request, pk):
    survey = get_object_or_404(surveys_for_enterprise(request.user), pk=pk)
    response = (SurveyResponse.objects.filter(survey=survey, organisation_id=request.user.organisation_id)
                .prefetch_related("answers__question").first())
    if response is not None or survey.status != SurveyStatus.OPEN:
        return render(request, "evaluation/survey_answered.html", {"survey": survey, "response": response})
    form = SurveyAnswerForm(request.POST or None, questions=survey.questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            svc.response_submit(actor=request.user, survey=survey, ratings=form.ratings(),
                                comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Thank you. Your answers were recorded."))
        return redirect("evaluation:survey_answer", survey.pk)
    return render(request, "evaluation/survey_answer.html", {"survey": survey, "form": form},
                  status=400 if request.method == "POST" else 200)
