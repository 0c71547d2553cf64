"""Award arithmetic: rate × base, capped; pro-rata scaling of a list of awards to fit a budget.

Amounts are Decimal yuan with 2 places. Scaling allocates whole fen so that the scaled awards add up to
exactly the budget (largest-remainder method) and no award grows.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from core.money import format_percent, format_wan, format_yuan

FEN = Decimal("0.01")


@dataclass(frozen=True)
class AwardComputation:
    base: Decimal
    rate: Decimal
    cap: Decimal | None
    uncapped: Decimal
    amount: Decimal
    capped: bool

    @property
    def formula_wan(self):
        """The same formula in 万元 (two decimals, thousands separators, every amount with its unit)."""
        from django.utils.translation import gettext as _

        text = (f"{format_wan(self.base, unit=True)} × {format_percent(self.rate)} = "
                f"{format_wan(self.uncapped, unit=True)}")
        if self.capped:
            text = _("%(formula)s, above the cap of %(cap)s, so %(amount)s") % {
                "formula": text, "cap": format_wan(self.cap, unit=True), "amount": format_wan(self.amount, unit=True)}
        return text

    @property
    def formula(self):
        text = f"{format_yuan(self.base)} × {format_percent(self.rate)} = {format_yuan(self.uncapped)}"
        if self.capped:
            text += f"，超过上限 {format_yuan(self.cap)}，按上限 {format_yuan(self.amount)}"
        return text


def compute_award(*, base, rate, cap=None):
    base = Decimal(base)
    rate = Decimal(rate)
    if base < 0 or rate < 0:
        raise ValueError("base and rate must not be negative")
    uncapped = (base * rate).quantize(FEN, rounding=ROUND_HALF_UP)
    cap = Decimal(cap) if cap is not None else None
    capped = cap is not None and uncapped > cap
    return AwardComputation(base, rate, cap, uncapped, cap if capped else uncapped, capped)


def scale_to_budget(amounts, budget):
    """Scale ``amounts`` down pro rata so that they total at most ``budget``.

    Returns a list in the same order. When the total already fits, the amounts come back unchanged.
    """
    amounts = [Decimal(a) for a in amounts]
    budget = Decimal(budget)
    if any(a < 0 for a in amounts) or budget < 0:
        raise ValueError("amounts and budget must not be negative")
    total = sum(amounts, Decimal(0))
    if total <= budget:
        return amounts
    fen_budget = int((budget / FEN).to_integral_value(rounding=ROUND_DOWN))
    exact = [a * budget / total / FEN for a in amounts]  # in fen, unrounded
    floors = [int(x.to_integral_value(rounding=ROUND_DOWN)) for x in exact]
    leftover = fen_budget - sum(floors)
    order = sorted(range(len(amounts)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for i in order[:leftover]:
        floors[i] += 1
    return [(Decimal(f) * FEN).quantize(FEN) for f in floors]
