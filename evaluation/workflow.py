"""Status tables for the evaluation year and the survey (applied through core.workflow.transition)."""

from accounts.roles import Role

from .constants import SurveyStatus, YearStatus

YEAR_TRANSITIONS = {
    # (from, action): (to, roles allowed)
    (YearStatus.DRAFT, "finalise"): (YearStatus.FINAL, {Role.CITY}),
    (YearStatus.FINAL, "reopen"): (YearStatus.DRAFT, {Role.CITY}),
}

SURVEY_TRANSITIONS = {
    (SurveyStatus.DRAFT, "open"): (SurveyStatus.OPEN, {Role.CITY}),
    (SurveyStatus.OPEN, "close"): (SurveyStatus.CLOSED, {Role.CITY}),
    (SurveyStatus.CLOSED, "reopen"): (SurveyStatus.OPEN, {Role.CITY}),
}
