"""The demo's follow-up reports (绩效跟踪) of the 2021 awards on 2022, reported and verified in February–April 2023
(after the rest of the demo; idempotent: skipped once any report was submitted). Every step goes through the
services inside ``core.clock.at`` the day it happened:

- the reports were scheduled when each 2021 payment was booked (three years: 2022, 2023, 2024);
- most enterprises report their 2022 results in February and March 2023 and their county verifies them;
- one report is returned (taxes not matching the tax certificate) and submitted again, then verified;
- one waits for its county's verification; a few are still not reported (overdue since 31 March 2023).
"""

import datetime
from decimal import Decimal

from core import clock
from disbursements.demo import at

from .followup_models import FollowupReport
from .followup_services import followup_return, followup_schedule_all, followup_submit, followup_verify
from .followup_workflow import FollowupStatus

FUND_YEAR, YEAR = 2021, 2022
# Nothing of this module is dated after this day (tests/aftercare/test_demo_followup.py checks it).
LAST_DAY = datetime.date(2023, 4, 20)
NOT_REPORTED = 3  # reports left due (overdue after 31 March 2023)
D = datetime.date


def _figures(report):
    """Plausible figures of a funded enterprise in the base year 2020 and in 2022 (yuan, persons, tce), varied by
    the project but within ±50 % of the base year (no explanation needed)."""
    commitment = report.commitment
    seed = commitment.pk % 17
    base_revenue = (commitment.approved_amount * (30 + seed * 3)).quantize(Decimal("0.01"))
    grow = Decimal(100 + 4 + seed) / 100  # 4 %–20 % revenue growth
    base = {"revenue": base_revenue, "taxes": (base_revenue * Decimal("0.045")).quantize(Decimal("0.01")),
            "jobs": 120 + seed * 23, "energy": (base_revenue / 10000 * Decimal("0.06")).quantize(Decimal("0.01")),
            "output": (base_revenue * Decimal("0.2")).quantize(Decimal("0.01"))}
    now = {"revenue": (base["revenue"] * grow).quantize(Decimal("0.01")),
           "taxes": (base["taxes"] * (grow + Decimal("0.02"))).quantize(Decimal("0.01")),
           "jobs": base["jobs"] + 5 + seed, "energy": (base["energy"] * Decimal("0.97")).quantize(Decimal("0.01")),
           "output": (base["output"] * Decimal("1.35")).quantize(Decimal("0.01"))}
    return {**now, **{f"base_{name}": value for name, value in base.items()}}


def seed(stdout=None):
    from .demo import _county_user, _enterprise_user  # (demo.py calls this module at its end)

    reports = list(FollowupReport.objects.filter(year=YEAR, commitment__fund_year=FUND_YEAR)
                   .select_related("commitment__payee", "commitment__county").order_by("commitment__county__name",
                                                                                         "commitment_id"))
    if not reports or FollowupReport.objects.exclude(status=FollowupStatus.DUE).exists():
        return
    with clock.at(at(D(2023, 1, 3))):
        followup_schedule_all()  # projects paid before the reports were scheduled (none in a fresh demo)
    reported = reports[:-NOT_REPORTED] if len(reports) > NOT_REPORTED + 2 else reports
    returned, waiting = reported[0], reported[-1]
    for index, report in enumerate(reported):
        day = D(2023, 2, 6) + datetime.timedelta(days=index % 45)
        with clock.at(at(day, 9 + index % 8)):
            followup_submit(actor=_enterprise_user(report.commitment), report_id=report.pk,
                            figures=_figures(report))
        if report is waiting:
            continue
        county = _county_user(report.commitment)
        check = day + datetime.timedelta(days=3 + index % 9)
        if report is returned:
            with clock.at(at(check, 15)):
                followup_return(actor=county, report_id=report.pk,
                                reason="纳税额与税务部门出具的完税证明不一致，请核对后重新填报。")
            figures = {**_figures(report), "taxes": _figures(report)["taxes"] - Decimal("12000.00")}
            with clock.at(at(check + datetime.timedelta(days=4), 10)):
                followup_submit(actor=_enterprise_user(report.commitment), report_id=report.pk, figures=figures,
                                explanation="")
            check += datetime.timedelta(days=7)
        with clock.at(at(check, 16)):
            followup_verify(actor=county, report_id=report.pk)
    if stdout:
        stdout.write(f"aftercare: {len(reported)} follow-up reports on {YEAR} ({len(reported) - 1} verified, one "
                     f"returned and resubmitted, one waiting for its county), "
                     f"{len(reports) - len(reported)} not reported")
