"""Policy matching (政策匹配): which enterprises of the statistics bureau's registry qualify for a category of an
open call but have not applied to it, each with its reasons in words; and the city's invitations to them.

A registry entry matches a category when it is manufacturing (GB/T 4754 section C, divisions 13–43), passes the
category's rules (above designated size when ``above_scale_only``; last year's investment at least
``min_eligible_investment``) and no organisation with its credit code has a non-draft application in that
category. The registry read is always the latest delivery (credit.registry.latest_registry)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core import clock
from core.audit import audit_record
from core.dashboard import FigurePanel
from core.money import format_wan
from core.permissions import require
from credit.models import RegistryEntry, is_manufacturing
from credit.registry import latest_registry

from .models import Application, Category, Invitation
from .workflow import Status

# GB/T 4754-2017 manufacturing divisions (制造业大类), as the statistics bureau names them
DIVISIONS = {
    "13": "农副食品加工业", "14": "食品制造业", "15": "酒、饮料和精制茶制造业", "16": "烟草制品业",
    "17": "纺织业", "18": "纺织服装、服饰业", "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业", "21": "家具制造业", "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业", "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业", "26": "化学原料和化学制品制造业", "27": "医药制造业",
    "28": "化学纤维制造业", "29": "橡胶和塑料制品业", "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业", "32": "有色金属冶炼和压延加工业", "33": "金属制品业",
    "34": "通用设备制造业", "35": "专用设备制造业", "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业", "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业", "40": "仪器仪表制造业", "41": "其他制造业",
    "42": "废弃资源综合利用业", "43": "金属制品、机械和设备修理业",
}


@dataclass
class Match:
    entry: RegistryEntry
    category: Category
    reasons: list = field(default_factory=list)
    organisation: Organisation | None = None
    invitation: Invitation | None = None

    @property
    def reasons_text(self):
        return "；".join(str(r) for r in self.reasons)


def industry_label(code):
    return _("industry C%(division)s %(name)s") % {"division": code[:2], "name": DIVISIONS.get(code[:2], "")}


def entry_reasons(entry, category):
    """The reasons ``entry`` qualifies for ``category``, or None when a rule excludes it."""
    if not is_manufacturing(entry.industry_code):
        return None
    reasons = []
    if category.above_scale_only:
        if not entry.above_scale:
            return None
        reasons.append(_("industrial enterprise above designated size"))
    if category.min_eligible_investment:
        if entry.investment < category.min_eligible_investment:
            return None
        reasons.append(_("last year's investment %(investment)s (10,000 yuan) ≥ threshold %(threshold)s "
                         "(10,000 yuan)") % {"investment": format_wan(entry.investment),
                                              "threshold": format_wan(category.min_eligible_investment)})
    reasons.append(industry_label(entry.industry_code))
    return reasons


def applied_codes(category):
    """Credit codes of the organisations with a non-draft application in ``category``: each enterprise probed in
    the (enterprise, call, category) index, not every application of the category read (a hundred thousand in a
    province's popular category)."""
    applied = Application.objects.filter(enterprise=OuterRef("pk"), round_id=category.round_id,
                                         category=category).exclude(status=Status.DRAFT)
    return set(Organisation.objects.exclude(credit_code=None).filter(Exists(applied))
               .values_list("credit_code", flat=True))


def category_matches(category, *, county=None, registry=None):
    """The matches of one category (registry order), each with its reasons, organisation and invitation."""
    registry = registry if registry is not None else latest_registry()
    if registry is None:
        return []
    entries = registry.entries.select_related("county").order_by("county__name", "name", "id")
    if county is not None:
        entries = entries.filter(county=county)
    applied = applied_codes(category)
    found = []
    for entry in entries:
        if entry.credit_code in applied:
            continue
        reasons = entry_reasons(entry, category)
        if reasons is not None:
            found.append(Match(entry, category, reasons))
    codes = [m.entry.credit_code for m in found]
    organisations = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=codes)}
    invitations = {i.credit_code: i for i in Invitation.objects.filter(category=category, credit_code__in=codes)}
    for match in found:
        match.organisation = organisations.get(match.entry.credit_code)
        match.invitation = invitations.get(match.entry.credit_code)
    return found


def matches_for_enterprise(organisation, round_):
    """[(category, reasons, draft or None)] of ``round_``'s categories the enterprise's registry entry matches
    and it has not applied to."""
    registry = latest_registry()
    if registry is None or not organisation.credit_code:
        return []
    entry = registry.entries.filter(credit_code=organisation.credit_code).first()
    if entry is None:
        return []
    mine = {}
    for app in Application.objects.filter(enterprise=organisation, round=round_).exclude(status=Status.WITHDRAWN) \
            .order_by("id"):
        mine.setdefault(app.category_id, []).append(app)
    result = []
    for category in round_.categories.all():
        apps = mine.get(category.pk, [])
        if any(a.status != Status.DRAFT for a in apps):
            continue
        reasons = entry_reasons(entry, category)
        if reasons is not None:
            result.append((category, reasons, apps[0] if apps else None))
    return result


def funnel(round_):
    """Per category of ``round_``: invitations, drafts and submissions of the invited enterprises."""
    rows = []
    for category in round_.categories.annotate(invited=Count("invitations")).order_by("sort_order", "id"):
        invited = Invitation.objects.filter(category=category).exclude(organisation=None)
        orgs = invited.values("organisation")
        apps = Application.objects.filter(category=category, enterprise__in=orgs)
        rows.append({"category": category, "invitations": category.invited,
                     "drafts": apps.values("enterprise").distinct().count(),
                     "submissions": apps.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
                     .values("enterprise").distinct().count()})
    return rows


def invitations_send(*, actor, category, credit_codes):
    """Invite the matches of ``category`` with these credit codes (already invited ones are skipped). A
    registered enterprise gets a draft (pre-filled from its profile) and, through the ``invitation.send``
    subscriber, a notification; an unregistered one is left for its county to contact. Returns the new rows."""
    require(actor, "applications.invite_enterprises")
    round_ = category.round
    now = clock.now()
    if not round_.is_published or now >= round_.closes_at:
        raise ValidationError(_("This call is not open for applications."))
    wanted = set(credit_codes)
    created = []
    with transaction.atomic(durable=True):
        # two city users inviting at once: the second waits here and then sees the first one's invitations
        Category.objects.select_for_update().filter(pk=category.pk).first()
        matches = [m for m in category_matches(category) if m.entry.credit_code in wanted and m.invitation is None]
        if not matches:
            raise ValidationError(_("Select at least one enterprise that is not yet invited."))
        for match in matches:
            entry, organisation, draft = match.entry, match.organisation, None
            if organisation is not None:
                draft = Application.objects.filter(enterprise=organisation, category=category,
                                                   status=Status.DRAFT).first()
                if draft is None:
                    draft = Application.objects.create(
                        round=round_, category=category, enterprise=organisation,
                        county=organisation.county or entry.county, project_name="",
                        location=organisation.address, created_by=actor)
                    audit_record(actor=actor, action="application.create", obj=draft, to_state=draft.status,
                                 data={"invited": True})
            invitation = Invitation.objects.create(
                round=round_, category=category, credit_code=entry.credit_code, name=entry.name,
                county=entry.county, organisation=organisation, reasons=match.reasons_text[:500],
                invited_by=actor, invited_at=now, draft=draft)
            audit_record(actor=actor, action="invitation.send", obj=invitation,
                         data={"category": category.name, "enterprise": entry.name,
                               "registered": organisation is not None})
            created.append(invitation)
    return created



def matching_dashboard(user):
    """The enterprise's "policies you may apply for" (可申报的政策): the open call's categories its registry entry
    matches and it has not submitted to, with the reasons and a link to start or continue the draft."""
    if not user.has_perm("applications.apply") or user.organisation_id is None:
        return []
    from django.urls import reverse

    from .selectors import open_round

    round_ = open_round()
    if round_ is None:
        return []
    parts = []
    for category, reasons, draft in matches_for_enterprise(user.organisation, round_):
        url = reverse("applications:edit", args=[draft.pk]) if draft else reverse("applications:apply")
        parts.append(FigurePanel(
            title=_("Policy you may apply for"), value=category.name,
            basis=_("%(call)s: %(reasons)s") % {"call": round_.title, "reasons": "；".join(str(r) for r in reasons)},
            url=url,
            link_text=_("Continue the draft") if draft else _("Start an application")))
    return parts
