"""Every read of the review stage, scoped to what the actor may see.

Experts see only their own assignments in opened panels that they have not withdrawn from by a conflict,
and never another expert's scores before the panel closes. Auditors see only their firm's audits. City-wide
roles see everything of the stage; finance staff the support lists. Foreign objects are simply not in the
querysets, so views answer 404.
"""

from django.db.models import Case, Count, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from accounts.roles import FINANCE_ROLES, Role
from applications.models import Application, Attachment, Round
from applications.selectors import application_search, status_counts
from applications.workflow import Status as AppStatus
from core import sqlcache

from .models import (
    Assignment,
    Audit,
    Criterion,
    ExpertProfile,
    Objection,
    Panel,
    Publicity,
    ReviewConfig,
    Score,
    ScoreItem,
    SupportList,
)
from .workflow import ACTIVE_ASSIGNMENT, AssignmentStatus, AuditStatus, PanelStatus, PublicityStatus, ScoreStatus

# Who sees the whole review stage: city staff (who run it), officials and administrators. Finance staff see the
# support lists only.
STAGE_ROLES = frozenset({Role.CITY, Role.OFFICIAL, Role.ADMIN})

# Application statuses that belong to the review stage and after (what city-wide pages list).
REVIEW_STAGE = (AppStatus.QUALIFIED, AppStatus.UNDER_REVIEW, AppStatus.REVIEWED, AppStatus.AUDITED,
                AppStatus.IN_PUBLICITY, AppStatus.PUBLICITY_PASSED, AppStatus.BUDGET_LISTED, AppStatus.PAID)


def role_of(user):
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def expert_profile(user):
    if role_of(user) != Role.EXPERT:
        return None
    return ExpertProfile.objects.filter(user=user, is_active=True).first()


# --- experts ---------------------------------------------------------------------------------------------


def assignment_scope(user):
    """The one definition of the assignments ``user`` works on, as a Q (None: none): the expert's own, in
    opened panels, without withdrawn (conflicted or removed) ones. The list and rules.is_assigned_expert use it."""
    if role_of(user) != Role.EXPERT:
        return None
    return _expert_scope(user.pk)


def _expert_scope(user_id):
    """``assignment_scope`` of the expert user ``user_id``."""
    return Q(expert__user_id=user_id, status__in=ACTIVE_ASSIGNMENT,
             panel__status__in=(PanelStatus.OPEN, PanelStatus.CLOSED))


def assignments_for(user):
    scope = assignment_scope(user)
    return Assignment.objects.filter(scope) if scope is not None else Assignment.objects.none()


# The expert's list, by what is left to do: declare (回避声明), score, or nothing (submitted, withdrawn, closed).
MY_STAGES = ("declare", "score", "done")


def _stage():
    open_panel = Q(panel__status=PanelStatus.OPEN)
    return Case(
        When(open_panel & Q(status=AssignmentStatus.ASSIGNED), then=Value(0)),
        When(open_panel & Q(status=AssignmentStatus.CONFIRMED) & ~Q(score__status=ScoreStatus.SUBMITTED),
             then=Value(1)),
        default=Value(2), output_field=IntegerField())


def my_assignments(user, *, stage=None, panel=None):
    """The expert's assignments as named rows of the columns the list shows (``pk``, ``status``, ``stage``: 0
    declare, 1 score, 2 done, ``application_id``, ``receipt_no``, ``project_name``, ``enterprise_name``,
    ``panel_id``, ``panel_name``, ``panel_status``, ``score_status``, ``score_total``: None without a score), the
    work first; ``stage`` (one of MY_STAGES) and ``panel`` (an id) filter."""
    return _my_assignments(assignments_for(user), stage=stage, panel=panel)


def my_assignments_statement(user, *, stage=None, panel=None):
    """``my_assignments`` as ``(key, build, values)`` for core.paging's ``statement`` (None for a user who is
    no expert): the list compiled once per stage and page position, the user and panel its parameters."""
    if role_of(user) != Role.EXPERT:
        return None
    stage = stage if stage in MY_STAGES else None
    values = {"user": user.pk} if panel is None else {"user": user.pk, "panel": panel}

    def build(user, panel=None):
        return _my_assignments(Assignment.objects.filter(_expert_scope(user)), stage=stage, panel=panel)

    return ("my_assignments", stage, panel is not None), build, values


def _my_assignments(assignments, *, stage, panel):
    rows = assignments.annotate(stage=_stage()).order_by("stage", "panel__name", "application__receipt_no", "id")
    if stage in MY_STAGES:
        rows = rows.filter(stage=MY_STAGES.index(stage))
    if panel is not None:
        rows = rows.filter(panel_id=panel)
    # named tuples, not five model instances a row: the columns the list shows (reviews.listing)
    return rows.annotate(
        receipt_no=F("application__receipt_no"), project_name=F("application__project_name"),
        enterprise_name=F("application__enterprise__name"), panel_name=F("panel__name"),
        panel_status=F("panel__status"), score_status=F("score__status"), score_total=F("score__total"),
    ).values_list("pk", "status", "stage", "application_id", "receipt_no", "project_name", "enterprise_name",
                  "panel_id", "panel_name", "panel_status", "score_status", "score_total", named=True)


def my_stage_counts(user):
    """{(stage name, panel id): number of the expert's assignments} in one query (compiled once, core.sqlcache):
    the stage counts of the expert's page, the panels of its filter and the list's count when it is not
    searched."""
    if role_of(user) != Role.EXPERT:
        return {}

    def build(user):
        return (Assignment.objects.filter(_expert_scope(user)).annotate(stage=_stage()).order_by()
                .values_list("stage", "panel_id").annotate(n=Count("id")).values_list("stage", "panel_id", "n"))

    return {(MY_STAGES[stage], panel): n for stage, panel, n in sqlcache.rows(("my_stage_counts",), build,
                                                                              user=user.pk)}


def my_panels(user):
    """The panels of the expert's page in one query (compiled once, core.sqlcache), as dicts: those of the
    expert's assignments and the open ones they chair (``chaired``), each with ``pk``, ``name``, ``status``, its
    call's ``year`` and ``submitted``: the ``chaired_scores`` in it (0 when not chaired)."""
    if role_of(user) != Role.EXPERT:
        return []

    def build(user):
        chaired = Q(chair__user_id=user, status=PanelStatus.OPEN)
        mine = Assignment.objects.filter(_expert_scope(user)).values("panel_id")
        return (Panel.objects.filter(Q(pk__in=mine) | chaired)
                .annotate(chaired=chaired, submitted=_chaired_submitted(user), year=F("round__year"))
                .order_by("name", "-round__year", "id")
                .values("pk", "name", "status", "year", "chaired", "submitted"))

    return sqlcache.rows(("my_panels",), build, user=user.pk)


def scoring_assignment(user, pk):
    """The user's assignment ``pk`` with everything the scoring page shows, joined: panel, call and its review
    settings, category and rubric, the application, and the score if there is one; None when it is not the
    user's. The statement is compiled once per user (core.sqlcache)."""
    def build(pk):
        return assignments_for(user).select_related(
            "panel__round__review_config", "panel__category__rubric", "panel__chair", "expert", "score",
            "application__enterprise", "application__category", "application__county", "application__round",
        ).filter(pk=pk)

    found = sqlcache.rows(("scoring_assignment", user.pk, role_of(user)), build, pk=pk)
    return found[0] if found else None


def joined_config(round_):
    """The review settings of a call read with ``select_related("...round__review_config")``: the stored row,
    or (never changed yet) the defaults, as ``config_for`` gives them, without another query."""
    return round_.review_config if hasattr(round_, "review_config") else ReviewConfig(round=round_)


def criteria_with_points(rubric, score):
    """The rubric's criteria in order (a list), each with ``given_points``: what ``score`` gave it (None when not
    yet). The statement is compiled once (core.sqlcache), the rubric and the score its parameters."""
    if score is None:
        return sqlcache.rows(("criteria_with_points", False), lambda rubric: Criterion.objects.filter(
            rubric_id=rubric).annotate(given_points=Value(None, output_field=DecimalField(max_digits=5,
                                                                                          decimal_places=1))),
            rubric=rubric.pk)

    def build(rubric, score):
        given = ScoreItem.objects.filter(score_id=score, criterion=OuterRef("pk")).values("points")[:1]
        return Criterion.objects.filter(rubric_id=rubric).annotate(given_points=Subquery(given))

    return sqlcache.rows(("criteria_with_points", True), build, rubric=rubric.pk, score=score.pk)


def application_attachments(application):
    """The application's current files with their material, in the materials' order (a list; the statement
    compiled once, core.sqlcache)."""
    return sqlcache.rows(("application_attachments",), lambda application: Attachment.objects.filter(
        application_id=application, is_current=True).select_related("material").order_by(
        "material__sort_order", "material_id"), application=application.pk)


def scores_visible_to(user, panel):
    """Scores of the panel the user may read: city-wide roles all; a member expert only their own until the
    panel closes, then all of the panel; anyone else none."""
    scores = Score.objects.filter(assignment__panel=panel, assignment__status=AssignmentStatus.CONFIRMED)
    role = role_of(user)
    if role in STAGE_ROLES:
        return scores
    if role == Role.EXPERT:
        own = scores.filter(assignment__expert__user=user)
        if panel.status == PanelStatus.CLOSED and panel.assignments.filter(expert__user=user).exists():
            return scores
        return own
    return scores.none()


def panels_for(user):
    role = role_of(user)
    qs = Panel.objects.select_related("round", "category", "chair")
    if role in STAGE_ROLES:
        return qs
    if role == Role.EXPERT:
        return qs.filter(assignments__expert__user=user, status__in=(PanelStatus.OPEN, PanelStatus.CLOSED)).distinct()
    return qs.none()


def summary_panels_for(user):
    """Panels whose summary the user may read: city-wide roles any; experts those they sat on, once closed."""
    role = role_of(user)
    if role == Role.EXPERT:
        return panels_for(user).filter(status=PanelStatus.CLOSED)
    return panels_for(user)


def chaired_panels(user):
    """The open panels the user chairs: those whose members' submitted scores the user may reopen."""
    if role_of(user) != Role.EXPERT:
        return Panel.objects.none()
    return _chaired_panels(user.pk)


def _chaired_panels(user_id):
    return Panel.objects.filter(chair__user_id=user_id, status=PanelStatus.OPEN)


def _chaired_submitted(user_id):
    counted = (_chaired_scores(user_id).filter(assignment__panel=OuterRef("pk")).order_by()
               .values("assignment__panel").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def chaired_panels_counted(user):
    """``chaired_panels`` by name, each with ``submitted`` (the reopenable scores in it), in one query (compiled
    once, core.sqlcache)."""
    if role_of(user) != Role.EXPERT:
        return []

    def build(user):
        return (_chaired_panels(user).annotate(submitted=_chaired_submitted(user)).only("name")
                .order_by("name", "id"))

    return sqlcache.rows(("chaired_panels_counted",), build, user=user.pk)


def chaired_scores(user):
    """Submitted scores the user may reopen as panel chair (not their own)."""
    if role_of(user) != Role.EXPERT:
        return Score.objects.none()
    return _chaired_scores(user.pk)


def _chaired_scores(user_id):
    return (Score.objects.filter(assignment__panel__chair__user_id=user_id,
                                 assignment__panel__status=PanelStatus.OPEN, status=ScoreStatus.SUBMITTED)
            .exclude(assignment__expert__user_id=user_id))


# The chair's search box: the application's receipt number, credit code, enterprise and project, and the expert.
_APPLICATION = application_search("assignment__application__")
CHAIR_SCORE_SEARCH = {"codes": _APPLICATION["codes"], "names": (*_APPLICATION["names"], "assignment__expert__name")}


def chair_score_rows(user, *, panel=None):
    """``chaired_scores`` as named rows of the columns the chair's page shows (``pk``, ``submitted_at``,
    ``panel_name``, ``expert_name``, ``receipt_no``, ``project_name``, ``enterprise_name``), by panel,
    application and expert; ``panel`` (an id) filters."""
    return _chair_score_rows(chaired_scores(user), panel=panel)


def chair_score_rows_statement(user, *, panel=None):
    """``chair_score_rows`` as ``(key, build, values)`` for core.paging's ``statement`` (None for a user who
    is no expert)."""
    if role_of(user) != Role.EXPERT:
        return None
    values = {"user": user.pk} if panel is None else {"user": user.pk, "panel": panel}

    def build(user, panel=None):
        return _chair_score_rows(_chaired_scores(user), panel=panel)

    return ("chair_score_rows", panel is not None), build, values


def _chair_score_rows(rows, *, panel):
    if panel is not None:
        rows = rows.filter(assignment__panel_id=panel)
    # named tuples, not six model instances a row: the page shows these columns and posts the score's id
    return (rows.annotate(panel_name=F("assignment__panel__name"), expert_name=F("assignment__expert__name"),
                          receipt_no=F("assignment__application__receipt_no"),
                          project_name=F("assignment__application__project_name"),
                          enterprise_name=F("assignment__application__enterprise__name"))
            .order_by("assignment__panel__name", "assignment__application__receipt_no", "assignment__expert__name",
                      "pk")
            .values_list("pk", "submitted_at", "panel_name", "expert_name", "receipt_no", "project_name",
                         "enterprise_name", named=True))


# --- city: panels, results, awards ----------------------------------------------------------------------


def rounds_for_review():
    return Round.objects.order_by("-year")


def current_round():
    """The round the review pages open on: the latest one with applications in the review stage."""
    return (Round.objects.filter(applications__status__in=REVIEW_STAGE).order_by("-year").first()
            or Round.objects.order_by("-year").first())


def round_overview(round_):
    """Per-status counts of the round's review stage in one aggregate query."""
    return status_counts(Application.objects.filter(round=round_), REVIEW_STAGE)



def panel_assignments(panel):
    return (Assignment.objects.filter(panel=panel)
            .select_related("expert", "application__enterprise", "score", "replaced_by__expert", "declaration")
            .order_by("application__receipt_no", "application_id", "id"))


def review_applications_for(user):
    """Applications of the review stage the user may see on city pages (city-wide roles)."""
    if role_of(user) not in STAGE_ROLES:
        return Application.objects.none()
    return Application.objects.filter(first_submitted_at__isnull=False)


def ranking(user, round_, category=None):
    qs = (review_applications_for(user).filter(round=round_, review_result__isnull=False)
          .select_related("enterprise", "category", "county", "review_result", "award_proposal", "audit")
          .order_by("category__sort_order", "category_id", "review_result__rank", "id"))
    if category is not None:
        qs = qs.filter(category=category)
    return qs




# --- audits ------------------------------------------------------------------------------------------------


def audit_scope(user):
    """The one definition of the audits ``user`` may see, as a Q (None: none): an auditor their firm's, the
    review stage's viewers all. The list and the object permissions (rules.py) use it."""
    role = role_of(user)
    if role == Role.AUDITOR:
        return Q(firm_id=user.organisation_id) if user.organisation_id else None
    if role in STAGE_ROLES:
        return Q()
    return None


def audits_for(user):
    scope = audit_scope(user)
    qs = Audit.objects.select_related("application__enterprise", "application__category", "application__round",
                                      "application__award_proposal", "firm")
    return qs.filter(scope) if scope is not None else qs.none()


def audit_figures_visible(user, audit):
    """The firm's own auditors see their draft; everyone else sees figures, opinion and report once submitted."""
    return audit.status == AuditStatus.SUBMITTED or user.has_perm("reviews.do_audits")


def audit_candidates(round_):
    return (Application.objects.filter(round=round_, status=AppStatus.REVIEWED, award_proposal__isnull=False)
            .select_related("enterprise", "category", "review_result", "award_proposal", "audit", "audit__firm")
            .order_by("category__sort_order", "review_result__rank", "id"))


def audit_candidates_unassigned():
    """Proposed awards of reviewed applications not yet given to an auditor (the city's queue)."""
    return Application.objects.filter(status=AppStatus.REVIEWED, award_proposal__isnull=False, audit__isnull=True)


# --- publicity and objections -------------------------------------------------------------------------------


def publicities_for(user):
    if role_of(user) in STAGE_ROLES:
        return Publicity.objects.select_related("round")
    return Publicity.objects.none()


def public_publicities():
    """What anyone may read without login: published and closed publicities."""
    return Publicity.objects.filter(status__in=(PublicityStatus.PUBLISHED, PublicityStatus.CLOSED)).select_related(
        "round")



def objections_for(user):
    if role_of(user) in STAGE_ROLES:
        return Objection.objects.select_related("publicity", "entry", "handled_by")
    return Objection.objects.none()


# --- support lists -------------------------------------------------------------------------------------------


def support_lists_for(user):
    role = role_of(user)
    if role in STAGE_ROLES or role in FINANCE_ROLES:
        return SupportList.objects.select_related("round", "proposed_by", "approved_by")
    return SupportList.objects.none()



def experts_list(filters=None):
    filters = filters or {}
    qs = ExpertProfile.objects.select_related("county", "user").annotate(
        load=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT)))
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(name__icontains=text) | Q(employer_name__icontains=text) | Q(specialties__icontains=text))
    if filters.get("active") in ("1", "0"):
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs.order_by("-is_active", "name", "id")
