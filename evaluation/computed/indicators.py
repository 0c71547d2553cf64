"""The computed indicators. Each reads its records through ``adapters`` (other apps) or this app's models."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.selectors import acceptance_by_county, clawback_figures
from core.money import format_wan

from ..constants import SurveyStatus
from ..formatting import count
from . import Computed, Link, adapters, compute, register

HUNDRED = Decimal("100")


def percent(numerator, denominator):
    return (Decimal(numerator) / Decimal(denominator) * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def from_ratio(result, numerator_label, denominator_label, records_label, *, fmt=count):
    """``fmt`` writes the two inputs: ``count`` for numbers of things, ``format_wan`` for yuan amounts."""
    if isinstance(result, adapters.NoData):
        return Computed.missing(result.reason)
    if not result.denominator:
        return Computed.missing(_("Nothing was due yet, so there is no rate to compute."))
    evidence = (Link(records_label, result.url),) if result.url else ()
    return Computed(
        actual=percent(result.numerator, result.denominator),
        inputs=((numerator_label, fmt(result.numerator)), (denominator_label, fmt(result.denominator))),
        evidence=evidence,
    )


def from_count(result, label, records_label):
    if isinstance(result, adapters.NoData):
        return Computed.missing(result.reason)
    evidence = (Link(records_label, result.url),) if result.url else ()
    return Computed(actual=Decimal(result.value), inputs=((label, str(result.value)),), evidence=evidence)


def manual_note():
    """Marks budget figures typed in the year settings: only used while disbursements has no budget."""
    return _("Entered by hand: the disbursements module has no budget for this fund year")


def manual_budget(year):
    """The year's interim hand-entered figures, or None when none were entered."""
    figures = adapters.BudgetFigures(year.manual_budget_original, year.manual_budget_adjusted,
                                     year.manual_budget_received, year.manual_spent,
                                     reverse("evaluation:year_settings", args=[year.year]))
    if all(getattr(figures, name) is None for name in ("original", "adjusted", "received", "spent")):
        return None
    return figures


def budget_source(year, as_of):
    figures = adapters.budget_figures(year, as_of=as_of)
    if isinstance(figures, adapters.NoData):
        manual = manual_budget(year) if as_of is None else None
        return (manual, manual_note()) if manual else (figures, "")
    return figures, ""


@register("budget_execution_rate", 1, "预算执行率", gettext_lazy(
    "Actual spending ÷ original budget, from the budget entries and paid payments of the disbursements module"))
def budget_execution_rate(year, *, as_of=None):
    figures, note = budget_source(year, as_of)
    if isinstance(figures, adapters.NoData):
        return Computed.missing(figures.reason)
    execution = figures.execution()
    if execution.rate is None:
        return Computed.missing(_("No %(basis)s or no spending figure for the year.")
                                % {"basis": execution.basis_label})
    label = note or _("Budget figures")
    return Computed(
        actual=execution.percent,
        inputs=((_("Budget basis"), str(execution.basis_label)),
                (_("Budget amount (10,000 yuan)"), format_wan(execution.budget)),
                (_("Spent (10,000 yuan)"), format_wan(execution.paid))),
        evidence=(Link(label, figures.url),) if figures.url else (),
        note=note,
    )


@register("budget_funds_in_place", 3, "预算资金到位情况",
          gettext_lazy("Funds received ÷ budget, from the budget entries of the disbursements module"))
def budget_funds_in_place(year, *, as_of=None):
    figures, note = budget_source(year, as_of)
    if isinstance(figures, adapters.NoData):
        return Computed.missing(figures.reason)
    budget = figures.adjusted or figures.original
    if not budget or figures.received is None:
        return Computed.missing(_("No budget or no figure for the funds received."))
    label = note or _("Budget figures")
    return Computed(
        actual=percent(figures.received, budget),
        inputs=((_("Budget amount (10,000 yuan)"), format_wan(budget)),
                (_("Received (10,000 yuan)"), format_wan(figures.received))),
        evidence=(Link(label, figures.url),) if figures.url else (),
        note=note,
    )


@register("information_disclosure", 7, "信息公开情况",
          gettext_lazy("Calls and publicity lists published on time ÷ those to be published"))
def information_disclosure(year, *, as_of=None):
    return from_ratio(adapters.information_disclosure(year, as_of=as_of), _("Published on time"),
                      _("To be published"), _("Published calls and lists"))


@register("qualification_review_compliance", 9, "资格审核（含复审）规范性",
          gettext_lazy("Compliant qualification decisions (including re-reviews) ÷ all qualification decisions"))
def qualification_review_compliance(year, *, as_of=None):
    return from_ratio(adapters.qualification_decisions(year, as_of=as_of), _("Compliant decisions"),
                      _("Qualification decisions"), _("Qualification decisions"))


@register("award_plan_completion", 10, "奖补计划完成率",
          gettext_lazy("Award money paid ÷ award money on the approved support lists"))
def award_plan_completion(year, *, as_of=None):
    return from_ratio(adapters.award_plan(year, as_of=as_of), _("Paid (10,000 yuan)"),
                      _("Planned (10,000 yuan)"), _("Support list and payments"), fmt=format_wan)


@register("supported_enterprises", 11, "支持企业数量",
          gettext_lazy("Enterprises on the year's support lists that received a payment"))
def supported_enterprises(year, *, as_of=None):
    return from_count(adapters.supported_enterprises(year, as_of=as_of), _("Enterprises supported"),
                      _("Support list of the year"))


@register("three_transformations_projects", 12, "“三大改造”奖补项目数量",
          gettext_lazy("Funded projects in the intelligent, green and technical transformation categories"))
def three_transformations_projects(year, *, as_of=None):
    return from_count(adapters.three_transformations_projects(year, as_of=as_of), _("Projects funded"),
                      _("Funded projects"))


@register("beneficiary_eligibility", 13, "收益对象资质条件符合率",
          gettext_lazy("Funded applications that passed the qualification review ÷ funded applications"))
def beneficiary_eligibility(year, *, as_of=None):
    return from_ratio(adapters.beneficiary_eligibility(year, as_of=as_of), _("Eligible beneficiaries"),
                      _("Funded applications"), _("Qualification decisions"))


@register("review_timeliness", 15, "企业申报评审工作完成及时性",
          gettext_lazy("Application and review steps finished by their planned dates ÷ steps due"))
def review_timeliness(year, *, as_of=None):
    return from_ratio(adapters.review_steps(year, as_of=as_of), _("Steps finished on time"), _("Steps due"),
                      _("Cycle steps"))


@register("payment_timeliness", 16, "奖补资金发放及时率",
          gettext_lazy("Payments paid by their due date ÷ payments paid"))
def payment_timeliness(year, *, as_of=None):
    return from_ratio(adapters.payment_timeliness(year, as_of=as_of), _("Paid by the due date"),
                      _("Payments due"), _("Payment records"))


@register("green_manufacturing", 19, "完成绿色制造体系建设",
          gettext_lazy("Enterprises funded in the green manufacturing system categories"))
def green_manufacturing(year, *, as_of=None):
    return from_count(adapters.green_manufacturing(year, as_of=as_of), _("Enterprises awarded"),
                      _("Green manufacturing awards"))


@register("satisfaction", 23, "受补贴企业满意度",
          gettext_lazy("Ratings “satisfied” or “very satisfied” ÷ all ratings of the year's surveys"))
def satisfaction(year, *, as_of=None):
    """Share of ratings 满意 (4) or 非常满意 (5) among all ratings of the year's opened surveys."""
    from ..models import Survey, SurveyAnswer

    surveys = list(Survey.objects.filter(year=year).exclude(status=SurveyStatus.DRAFT)
                   .annotate(invited=Count("invitations", distinct=True), answered=Count("responses", distinct=True)))
    answers = SurveyAnswer.objects.filter(response__survey__in=surveys)
    if as_of is not None:
        answers = answers.filter(response__submitted_at__date__lte=as_of)
    stats = answers.aggregate(total=Count("id"), satisfied=Count("id", filter=Q(rating__gte=4)),
                              responses=Count("response", distinct=True))
    if not stats["total"]:
        return Computed.missing(_("No survey answers yet: open a satisfaction survey for the year."))
    return Computed(
        actual=percent(stats["satisfied"], stats["total"]),
        inputs=((_("Questionnaires answered"), str(stats["responses"])),
                (_("Enterprises invited"), str(sum(s.invited for s in surveys))),
                (_("Ratings"), str(stats["total"])), (_("Satisfied or very satisfied"), str(stats["satisfied"]))),
        evidence=tuple(Link(s.title, reverse("evaluation:survey_detail", args=[year.year, s.pk])) for s in surveys),
    )


@register("archive_completeness", 24, "档案管理完备性",
          gettext_lazy("Funded applications with every required material attached ÷ funded applications"))
def archive_completeness(year, *, as_of=None):
    return from_ratio(adapters.archive_completeness(year, as_of=as_of), _("Complete files"),
                      _("Funded applications"), _("Application files"))


@register("policy_publicity_rate", 26, "政策公开公示率",
          gettext_lazy("Calls and publicity lists published ÷ those required"))
def policy_publicity_rate(year, *, as_of=None):
    return from_ratio(adapters.policy_publicity(year, as_of=as_of), _("Calls and lists published"), _("Required"),
                      _("Calls and publicity lists"))


# --- the funded enterprises' own results (follow-up reports, 绩效跟踪), next to the statistics bureau's figures ---

def _funded(year, attribute):
    figures = adapters.funded_results(year)
    if isinstance(figures, adapters.NoData):
        return Computed.missing(figures.reason)
    value = getattr(figures, attribute)
    if value is None:
        return Computed.missing(_("No verified report has verified figures of the year before to compare with."))
    return Computed(
        actual=value,
        inputs=((_("Follow-up reports due / received / verified"),
                 f"{count(figures.due)} / {count(figures.received)} / {count(figures.verified)}"),
                (_("Reports compared with the year before"), count(figures.compared)),
                (_("Counted from"), str(figures.basis))),
        evidence=(Link(_("Verified follow-up reports on %(year)s") % {"year": figures.year},
                       adapters.funded_results_url(year)),))


@register("funded_revenue_growth", 17, "受支持企业营业收入增长", gettext_lazy(
    "Revenue growth of the funded enterprises, from their verified follow-up reports on the year after the fund "
    "year (compared with the base year or the year before)"))
def funded_revenue_growth(year, *, as_of=None):
    return _funded(year, "revenue_growth")


@register("funded_tax_growth", 21, "受支持企业纳税额增长", gettext_lazy(
    "Growth of the taxes paid by the funded enterprises, from their verified follow-up reports"))
def funded_tax_growth(year, *, as_of=None):
    return _funded(year, "tax_growth")


@register("funded_energy_change", 22, "受支持企业单位营业收入能耗变化", gettext_lazy(
    "Change of the funded enterprises' energy use per 10,000 yuan of revenue (a fall is negative), from their "
    "verified follow-up reports"))
def funded_energy_change(year, *, as_of=None):
    return _funded(year, "energy_intensity_change")


@dataclass(frozen=True)
class Panel:
    """A box of platform records on an indicator's page, beside what the indicator itself is scored on."""

    title: str
    intro: str
    result: Computed
    unit: str = "%"


# The effect indicators whose page shows the funded enterprises' figure next to the statistics bureau's one.
FUNDED_EVIDENCE = {17: "funded_revenue_growth", 21: "funded_tax_growth", 22: "funded_energy_change"}
# The judged indicators of how the funds were used (资金使用规范性, 财务监控有效性): their page shows what the
# platform recorded after the money (acceptances, clawbacks, refunds) to whoever judges them.
FUNDS_USE_EVIDENCE = {5, 6}


def indicator_panels(indicator):
    """The boxes of platform records an indicator's page shows (none for most indicators)."""
    panels = []
    key = FUNDED_EVIDENCE.get(indicator.number)
    if key is not None and indicator.source_key != key:  # not when the indicator already takes that figure
        panels.append(Panel(_("The funded enterprises' own results"), _(
            "From the follow-up reports of the funded projects (绩效跟踪), next to the statistics bureau's figure "
            "above."), compute(key, indicator.year)))
    if indicator.number in FUNDS_USE_EVIDENCE:
        panels.append(Panel(_("How the funds were used: acceptance and clawbacks"), _(
            "Recorded on the platform after the money: the share of the projects due for acceptance that were "
            "accepted, and the clawbacks decided on this year's awards. Take them into account in the judgement."),
            funds_use(indicator.year)))
    return panels


def funds_use(year):
    """Acceptance rate of the year's funded projects that were due, with the clawbacks and refunds as inputs."""
    y = adapters._y(year)
    accepted = due = funded = 0
    for figures in acceptance_by_county(y).values():
        accepted, due, funded = accepted + figures.accepted, due + figures.due, funded + figures.funded
    clawed = clawback_figures(y)
    inputs = (
        (_("Funded projects / due for acceptance / accepted"), f"{funded} / {due} / {accepted}"),
        (_("Clawbacks decided"), count(clawed.count)),
        (_("Amount to recover"), format_wan(clawed.decided, unit=True)),
        (_("Refunded (returned funds)"), format_wan(clawed.refunded, unit=True)),
        (_("Outstanding"), format_wan(clawed.outstanding, unit=True)),
    )
    evidence = (Link(_("Acceptance of the funded projects"), reverse("aftercare:list")),
                Link(_("Overdue refunds"), reverse("aftercare:overdue")))
    if not due:
        return Computed(None, inputs, evidence, missing_reason=_("No funded project of %(year)s is due for "
                                                                 "acceptance yet.") % {"year": y})
    return Computed(percent(Decimal(accepted), Decimal(due)), inputs, evidence)


def funded_sentence(year):
    """One sentence of the report's effect paragraph on the funded enterprises' own results ("" without any)."""
    figures = adapters.funded_results(year)
    if isinstance(figures, adapters.NoData):
        return ""
    parts = [_("%(n)s of the %(due)s follow-up reports on %(year)s of the projects funded in %(fund)s were "
               "verified: their revenue was %(revenue)s, their taxes %(taxes)s")
             % {"n": figures.verified, "due": figures.due, "year": figures.year, "fund": figures.fund_year,
                "revenue": format_wan(figures.revenue, unit=True), "taxes": format_wan(figures.taxes, unit=True)}]
    changes = [label % {"v": f"{value:+}"} for value, label in (
        (figures.revenue_growth, _("revenue %(v)s%%")), (figures.tax_growth, _("taxes %(v)s%%")),
        (figures.energy_intensity_change, _("energy use per 10,000 yuan of revenue %(v)s%%"))) if value is not None]
    if changes:
        parts.append(_("; compared with the year before: %(changes)s") % {"changes": _(", ").join(changes)})
    return "".join(parts)

