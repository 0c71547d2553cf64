"""The demo's fund years: one profile per call (dates, status mix, county spread, budget), read by every app's
demo module so that each year's cycle is seeded by the same functions with its own figures.

- 2021 (the call of autumn 2020) carries the demo's stories and the work left open for every role: a re-review,
  a credit-list hit, applications waiting at each step, a failed payment, a clawback;
- 2022 (the call of autumn 2021) is a complete, quieter cycle with other figures, so that years and counties
  can be compared: fewer applications, more of them in some counties and fewer in others, smaller projects,
  a larger budget.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from .workflow import Status

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DemoYear:
    year: int  # the fund year: the call is made in year - 1, the money paid in year, evaluated in year + 1
    rng_seed: int
    status_mix: tuple  # (status, how many applications)
    budget_wan: int  # the call's and the year's original budget, 万元
    stories: bool  # the one-off stories and the open work of every role happen in this year
    county_weights: dict = field(default_factory=dict)  # county name -> weight (default 1); empty: evenly
    investment_scale: Decimal = Decimal(1)  # the size of the year's projects against 2021's

    def at(self, offset, month, day, hour=9, minute=0):
        """A moment of this cycle: ``offset`` is -1 for the call's autumn, 0 for the fund year, 1 for the year
        after."""
        return datetime.datetime(self.year + offset, month, day, hour, minute, tzinfo=TZ)

    def date(self, offset, month, day):
        return datetime.date(self.year + offset, month, day)

    @property
    def total(self):
        return sum(n for _status, n in self.status_mix)


YEARS = {
    2021: DemoYear(
        year=2021, rng_seed=2021, budget_wan=58000, stories=True, status_mix=(
            (Status.QUALIFIED, 214), (Status.DISQUALIFIED, 14), (Status.RE_REVIEW, 3), (Status.CITY_ACCEPTED, 18),
            (Status.FORWARDED, 16), (Status.COUNTY_ACCEPTED, 12), (Status.SUBMITTED, 8), (Status.RETURNED, 6),
            (Status.DECLINED, 17), (Status.WITHDRAWN, 8), (Status.DRAFT, 4))),
    2022: DemoYear(
        year=2022, rng_seed=2022, budget_wan=60000, stories=False, status_mix=(
            (Status.QUALIFIED, 175), (Status.DISQUALIFIED, 26), (Status.DECLINED, 36), (Status.WITHDRAWN, 27)),
        investment_scale=Decimal("0.66"),
        county_weights={"金水区": 2.2, "郑州高新技术产业开发区": 2.0, "郑州经济技术开发区": 1.8,
                        "郑州航空港经济综合实验区": 1.6, "新郑市": 1.3, "巩义市": 0.5, "登封市": 0.4, "上街区": 0.5,
                        "新密市": 0.6, "惠济区": 0.7}),
}
# The end of the demo's history: the 2022 self-evaluation is written in February 2023 and the last acceptance of a
# 2022 project is decided on 1 July 2023. Nothing seeded is dated between here and the day the seed runs, and the
# notifications before it were read long ago.
HISTORY_END = datetime.datetime(2023, 7, 2, tzinfo=TZ)
