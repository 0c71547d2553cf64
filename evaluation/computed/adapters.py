"""The evaluation app's only window on the other apps' records.

Each function answers one question about a year's cycle with plain numbers and a link to the records it
counted, or ``NoData(reason)`` while the module that owns those records is not there or not connected.
The lead connects these once the applications, reviews and disbursements models settle; nothing else in
the evaluation app reads another app's tables.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MODULES = {
    "applications": gettext_lazy("the applications module"),
    "reviews": gettext_lazy("the reviews module"),
    "disbursements": gettext_lazy("the disbursements module"),
}


@dataclass(frozen=True)
class NoData:
    reason: str


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal
    denominator: Decimal
    url: str = ""


@dataclass(frozen=True)
class Count:
    value: int
    url: str = ""


@dataclass(frozen=True)
class BudgetFigures:
    """Yuan. ``None`` where the source does not know the figure."""

    original: Decimal | None
    adjusted: Decimal | None
    received: Decimal | None
    spent: Decimal | None
    url: str = ""


def model_or_none(app_label, model_name):
    if not apps.is_installed(app_label):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def not_connected(*sources):
    """NoData saying which module does not record this yet, or that the connection is pending.

    ``sources`` are the (app label, model name) pairs the answer will come from once connected."""
    for app_label, model_name in sources:
        if model_or_none(app_label, model_name) is None:
            return NoData(_("No data source yet: %(module)s does not record this yet.")
                          % {"module": MODULES.get(app_label, app_label)})
    modules = "、".join(dict.fromkeys(str(MODULES.get(a, a)) for a, _m in sources))
    return NoData(_("No data source yet: waiting for the connection to %(modules)s.")
                  % {"modules": modules})


# --- to be connected by the lead (each returns NoData until then) ------------------------------------------


def budget_figures(year, as_of=None):
    """Original / adjusted / received budget and spending of the fund in ``year`` (disbursements.Budget
    with dated figures, disbursements.Payment paid up to ``as_of``)."""
    return not_connected(("disbursements", "Budget"), ("disbursements", "Payment"))


def information_disclosure(year, as_of=None):
    """Ratio(items published on time, items that had to be published): the call, the category list, the
    publicity list and the support list of the year's round."""
    return not_connected(("applications", "Round"), ("reviews", "Publicity"))


def qualification_decisions(year, as_of=None):
    """Ratio(compliant decisions, all decisions): a decision is compliant when it states its reason and,
    where the rules ask for a re-review (复审), the re-review is recorded."""
    return not_connected(("applications", "QualificationDecision"))


def award_plan(year, as_of=None):
    """Ratio(award money paid, award money on the support list put into the year's budget), yuan."""
    return not_connected(("reviews", "SupportList"), ("disbursements", "Payment"))


def supported_enterprises(year, as_of=None):
    """Count of distinct enterprises on the year's support list that received a payment."""
    return not_connected(("reviews", "SupportList"), ("disbursements", "Payment"))


def three_transformations_projects(year, as_of=None):
    """Count of funded projects in the 智能化改造 / 绿色化改造 / 技术改造 categories."""
    return not_connected(("applications", "Category"), ("reviews", "SupportList"))


def beneficiary_eligibility(year, as_of=None):
    """Ratio(funded applications whose qualification decision is a pass and not revoked, funded applications)."""
    return not_connected(("applications", "QualificationDecision"), ("reviews", "SupportList"))


def review_steps(year, as_of=None):
    """Ratio(cycle steps finished by their planned dates, steps due by ``as_of``): call, acceptance, review,
    audit, publicity, budget listing."""
    return not_connected(("applications", "Round"), ("reviews", "Publicity"))


def payment_timeliness(year, as_of=None):
    """Ratio(payments paid by their due date, payments due by ``as_of``)."""
    return not_connected(("disbursements", "Payment"))


def green_manufacturing(year, as_of=None):
    """Count of enterprises funded in the 绿色制造体系 (green factory etc.) categories."""
    return not_connected(("applications", "Category"), ("reviews", "SupportList"))


def archive_completeness(year, as_of=None):
    """Ratio(funded applications with every required material attached, funded applications)."""
    return not_connected(("applications", "Attachment"), ("reviews", "SupportList"))


def policy_publicity(year, as_of=None):
    """Ratio(calls and publicity lists published, calls and publicity lists required) for the year."""
    return not_connected(("applications", "Round"), ("reviews", "Publicity"))


def funded_enterprises(year):
    """The enterprises (accounts.Organisation queryset) funded in ``year``: the survey's respondents."""
    return not_connected(("reviews", "SupportList"), ("disbursements", "Payment"))
