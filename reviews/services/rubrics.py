"""The rubric (评分表) of a category: editable until the panel opens or a score exists, frozen after."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.permissions import require

from ..models import Criterion, Rubric, ScoreItem
from .common import ReviewError

RUBRIC_TOTAL = Decimal("100")

# The usual criteria of a Zhengzhou special-fund review; city staff adapt them per category.
DEFAULT_CRITERIA = [
    ("技术先进性", Decimal("25"), "技术水平、创新程度、与行业先进水平的对比"),
    ("投资规模与效益", Decimal("25"), "投资额的真实性与合理性，预期产值、税收和节能效果"),
    ("带动作用", Decimal("20"), "对产业链、区域和同行业的示范带动作用"),
    ("材料完整性", Decimal("15"), "申报材料是否齐全、真实、前后一致"),
    ("实施保障", Decimal("15"), "组织、资金、进度与风险控制的保障措施"),
]


def rubric_for(category):
    rubric, _created = Rubric.objects.get_or_create(category=category)
    return rubric


def frozen_reason(rubric):
    """Why the rubric can no longer change, or ''."""
    if rubric.frozen_at is not None:
        return _("The rubric was frozen when the panel opened; criteria and points can no longer change.")
    if ScoreItem.objects.filter(criterion__rubric=rubric).exists():
        return _("Scores already use this rubric; it can no longer change.")
    return ""


def _check_editable(rubric, actor):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff edit rubrics."))
    reason = frozen_reason(rubric)
    if reason:
        raise ReviewError(reason, code="frozen")


def criterion_save(*, actor, rubric, name, max_points, guidance="", order=None, criterion=None,
                   expected_version=None):
    """Add a criterion or change one (``criterion``, loaded at ``expected_version``); refused once the rubric is
    frozen, or when someone else changed the criterion since it was loaded (StaleEdit)."""
    with transaction.atomic():
        rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
        _check_editable(rubric, actor)
        if criterion is None:
            if order is None:
                order = (rubric.criteria.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            criterion = Criterion(rubric=rubric)
            before = ""
        else:
            criterion = locked_for_edit(rubric.criteria.get(pk=criterion.pk), expected_version)
            before = f"{criterion.name} {criterion.max_points}"
        criterion.name = name.strip()
        criterion.max_points = Decimal(max_points)
        criterion.guidance = guidance.strip()
        if order is not None:
            criterion.order = order
        criterion.full_clean(exclude=["rubric"])
        if criterion.pk:
            save_versioned(criterion, ["name", "max_points", "guidance", "order"])
        else:
            criterion.save()
        audit_record(actor=actor, action="rubric.criterion_saved", obj=rubric,
                     data={"criterion": criterion.name, "max_points": str(criterion.max_points),
                           **({"previous": before} if before else {})})
    return criterion


def criterion_delete(*, actor, rubric, criterion, expected_version=None):
    with transaction.atomic(durable=True):
        rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
        _check_editable(rubric, actor)
        criterion = locked_for_edit(rubric.criteria.get(pk=criterion.pk), expected_version)
        audit_record(actor=actor, action="rubric.criterion_deleted", obj=rubric,
                     data={"criterion": criterion.name, "max_points": str(criterion.max_points)})
        criterion.delete()


def rubric_fill_defaults(*, actor, rubric):
    """Start an empty rubric from the usual five criteria (100 points)."""
    if rubric.criteria.exists():
        return 0
    for order, (name, points, guidance) in enumerate(DEFAULT_CRITERIA, start=1):
        criterion_save(actor=actor, rubric=rubric, name=name, max_points=points, guidance=guidance, order=order)
    return len(DEFAULT_CRITERIA)


def rubric_total(rubric):
    return sum((c.max_points for c in rubric.criteria.all()), Decimal("0"))


def rubric_problems(rubric):
    """What keeps the rubric from being used by an opening panel ([] when fine)."""
    criteria = list(rubric.criteria.all())
    if not criteria:
        return [_("The rubric has no criteria yet.")]
    total = sum((c.max_points for c in criteria), Decimal("0"))
    if total != RUBRIC_TOTAL:
        return [_("The criteria add up to %(total)s points; they must add up to 100.") % {"total": total}]
    return []
