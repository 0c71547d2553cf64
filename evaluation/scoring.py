"""The scoring engine: 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号) practice, as pure functions.

Quantitative indicators (第十六条):
- ≥ and = : full weight when the actual reaches the target, otherwise weight × actual ÷ target.
- ≤ : full weight when the actual stays at or below the target, falling linearly to 0 at twice the target.
- 增长 / 下降 : the actual is the signed change; full weight when it goes the right way, else 0.
Qualitative indicators: 达成 80–100 % of the weight, 部分达成 60–80 %, 未达成 0–60 %.
A written deviation reason is required when the target is missed or the actual deviates by 30 % or more.
Grades: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.

Everything is Decimal; points are rounded half-up to 0.01. Each result carries its formula text and inputs
so that the pages and the report can show how a score came about. No database access here.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .constants import Direction, Grade
from .formatting import count as whole_number

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
DEVIATION_LIMIT = Decimal("30")  # per cent

# (lower, upper, upper inclusive) as fractions of the weight, 财预〔2020〕10号 第十六条
BANDS = {
    Grade.ACHIEVED: (Decimal("0.8"), Decimal("1"), True),
    Grade.PARTLY: (Decimal("0.6"), Decimal("0.8"), False),
    Grade.NOT_ACHIEVED: (Decimal("0"), Decimal("0.6"), False),
}

GRADE_LIMITS = ((Decimal("90"), "excellent"), (Decimal("80"), "good"), (Decimal("60"), "fair"))


def q2(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value):
    """A Decimal as text without float noise: 2 decimals, trailing zeros kept for scores."""
    if value is None:
        return "—"
    return f"{q2(value):f}"


@dataclass(frozen=True)
class Score:
    """The outcome of scoring one indicator. ``points`` is None when the indicator cannot be scored."""

    weight: Decimal
    points: Decimal | None
    met: bool | None
    formula: str
    inputs: tuple = field(default_factory=tuple)  # ((label, value-as-text), ...)
    deviation: Decimal | None = None  # (actual − target) ÷ |target| in per cent
    reason_required: bool = False

    @property
    def scored(self):
        return self.points is not None


def unscored(weight, reason):
    return Score(weight=Decimal(weight), points=None, met=None, formula=str(reason))


def _deviation(actual, target):
    if target == ZERO:
        return None
    return q2((actual - target) / abs(target) * HUNDRED)


def _reason_required(met, deviation):
    return (not met) or (deviation is not None and abs(deviation) >= DEVIATION_LIMIT)


def score_at_least(weight, target, actual, *, symbol="≥", whole=False):
    """≥ (and =): full when met, else proportional to actual ÷ target, never below 0."""
    weight, target, actual = Decimal(weight), Decimal(target), Decimal(actual)
    show = whole_number if whole else fmt
    inputs = ((_("Target"), show(target)), (_("Actual"), show(actual)), (_("Weight"), fmt(weight)))
    met = actual >= target
    deviation = _deviation(actual, target)
    if met:
        points = weight
        formula = _("actual {actual} {symbol} target {target}: met, full weight {weight}").format(
            actual=show(actual), symbol=symbol, target=show(target), weight=fmt(weight))
    elif target <= ZERO:
        points = ZERO
        formula = _("actual {actual} misses the non-positive target {target}: 0 points").format(
            actual=show(actual), target=show(target))
    else:
        points = max(ZERO, min(weight, q2(weight * actual / target)))
        formula = _("actual {actual} < target {target}: {weight} × {actual} ÷ {target} = {points}").format(
            actual=show(actual), target=show(target), weight=fmt(weight), points=fmt(points))
    return Score(weight, q2(points), met, formula, inputs, deviation, _reason_required(met, deviation))


def score_at_most(weight, target, actual, *, whole=False):
    """≤: full when met, falling linearly to 0 at twice the target."""
    weight, target, actual = Decimal(weight), Decimal(target), Decimal(actual)
    show = whole_number if whole else fmt
    inputs = ((_("Target"), show(target)), (_("Actual"), show(actual)), (_("Weight"), fmt(weight)))
    met = actual <= target
    deviation = _deviation(actual, target)
    if met:
        points = weight
        formula = _("actual {actual} ≤ target {target}: met, full weight {weight}").format(
            actual=show(actual), target=show(target), weight=fmt(weight))
    elif target <= ZERO or actual >= 2 * target:
        points = ZERO
        formula = _("actual {actual} reaches twice the target {target} or more: 0 points").format(
            actual=show(actual), target=show(target))
    else:
        points = max(ZERO, min(weight, q2(weight * (2 * target - actual) / target)))
        formula = _("actual {actual} > target {target}: {weight} × (2 × {target} − {actual}) ÷ {target} = {points}")
        formula = formula.format(actual=show(actual), target=show(target), weight=fmt(weight), points=fmt(points))
    return Score(weight, q2(points), met, formula, inputs, deviation, _reason_required(met, deviation))


def score_change(weight, change, *, increase=True):
    """增长 / 下降: ``change`` is the signed change in per cent; met or not, the change is shown."""
    weight, change = Decimal(weight), Decimal(change)
    met = change > ZERO if increase else change < ZERO
    wanted = _("increase") if increase else _("decrease")
    inputs = ((_("Target"), wanted), (_("Change from the previous year"), f"{fmt(change)}%"),
              (_("Weight"), fmt(weight)))
    points = weight if met else ZERO
    if met:
        formula = _("change {change} is an {wanted}: met, full weight {weight}").format(
            change=f"{fmt(change)}%", wanted=wanted, weight=fmt(weight))
    else:
        formula = _("change {change} is not an {wanted}: 0 points").format(change=f"{fmt(change)}%", wanted=wanted)
    return Score(weight, q2(points), met, formula, inputs, None, not met)


def band(weight, grade):
    """(lowest, highest, highest inclusive) points allowed for a judgement."""
    lower, upper, inclusive = BANDS[Grade(grade)]
    weight = Decimal(weight)
    return q2(weight * lower), q2(weight * upper), inclusive


def in_band(weight, grade, points):
    lower, upper, inclusive = band(weight, grade)
    points = Decimal(points)
    return lower <= points <= upper if inclusive else lower <= points < upper


def score_judged(weight, grade, points):
    """Qualitative: the judge's points must lie inside the judgement's band (ValueError otherwise)."""
    weight, points = Decimal(weight), q2(points)
    if not in_band(weight, grade, points):
        lower, upper, inclusive = band(weight, grade)
        raise ValueError(_("{points} is outside the band {lower}–{upper} for “{grade}”").format(
            points=fmt(points), lower=fmt(lower), upper=fmt(upper), grade=Grade(grade).label))
    lower, upper, inclusive = band(weight, grade)
    met = Grade(grade) == Grade.ACHIEVED
    inputs = ((_("Judgement"), str(Grade(grade).label)), (_("Band"), f"{fmt(lower)}–{fmt(upper)}"),
              (_("Weight"), fmt(weight)))
    formula = _("judged “{grade}”: {points} within the band {lower}–{upper} of weight {weight}").format(
        grade=Grade(grade).label, points=fmt(points), lower=fmt(lower), upper=fmt(upper), weight=fmt(weight))
    return Score(weight, points, met, formula, inputs, None, not met)


def score(direction, weight, *, target=None, actual=None, grade=None, points=None, whole=False):
    """Dispatch on the indicator's direction. Missing data gives an unscored result, never a guess.
    ``whole``: the indicator counts things (家, 个), so whole targets and actuals print without decimals."""
    direction = Direction(direction)
    if direction == Direction.QUALITATIVE:
        if grade is None or points is None:
            return unscored(weight, _("No judgement recorded yet"))
        return score_judged(weight, grade, points)
    if actual is None:
        return unscored(weight, _("No data yet"))
    if direction in (Direction.INCREASE, Direction.DECREASE):
        return score_change(weight, actual, increase=direction == Direction.INCREASE)
    if target is None:
        return unscored(weight, _("No target value set"))
    if direction == Direction.LTE:
        return score_at_most(weight, target, actual, whole=whole)
    return score_at_least(weight, target, actual, symbol="≥" if direction == Direction.GTE else "=", whole=whole)


@dataclass(frozen=True)
class Total:
    points: Decimal  # sum of the scored indicators
    weight: Decimal  # sum of all weights (should be 100)
    missing_weight: Decimal  # weights of the indicators that could not be scored
    missing_count: int

    @property
    def complete(self):
        return self.missing_count == 0

    @property
    def ceiling(self):
        """The best total still possible if every unscored indicator got full marks."""
        return self.points + self.missing_weight


def total(scores):
    scores = list(scores)
    points = sum((s.points for s in scores if s.scored), ZERO)
    weight = sum((s.weight for s in scores), ZERO)
    missing = [s for s in scores if not s.scored]
    return Total(q2(points), q2(weight), q2(sum((s.weight for s in missing), ZERO)), len(missing))


def grade_for(points):
    """'excellent' (优, ≥ 90), 'good' (良, ≥ 80), 'fair' (中, ≥ 60) or 'poor' (差)."""
    points = Decimal(points)
    for limit, name in GRADE_LIMITS:
        if points >= limit:
            return name
    return "poor"


def grade_label(name):
    return {"excellent": _("Excellent"), "good": _("Good"), "fair": _("Fair"), "poor": _("Poor")}[name]
