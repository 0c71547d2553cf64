"""The annual call (年度申报) and its categories, materials and award rules: data edited by city staff."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FileType(models.TextChoices):
    """File types an upload slot may accept; each is checked by content, not by its name."""

    PDF = "pdf", "PDF"
    JPG = "jpg", "JPG"
    PNG = "png", "PNG"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"


class AwardBase(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment investment")
    ELIGIBLE = "eligible", _("Eligible investment")
    TOTAL = "total", _("Total investment")


class PaymentMode(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    ANNUAL = "annual", _("Annual")


class Programme(models.Model):
    """The policy behind the calls, e.g. 郑政〔2020〕20号. Optional: a round may stand alone."""

    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name


REMINDER_DAYS_MAX = 366
REMINDER_DAYS_COUNT = 10


def parse_reminder_days(text):
    """'7,3,1' -> [7, 3, 1]: whole numbers of days separated by commas (ASCII or full-width), no repeats.
    Raises ValidationError with a message saying what to type."""
    parts = [p.strip() for p in str(text or "").replace("，", ",").replace("、", ",").split(",")]
    parts = [p for p in parts if p]
    if not all(p.isascii() and p.isdigit() for p in parts):
        raise ValidationError(_("Type whole numbers of days separated by commas, e.g. 7,3,1."), code="format")
    days = sorted({int(p) for p in parts}, reverse=True)
    if len(days) > REMINDER_DAYS_COUNT:
        raise ValidationError(_("At most %(n)s reminders per deadline."), code="count",
                              params={"n": REMINDER_DAYS_COUNT})
    if days and days[0] > REMINDER_DAYS_MAX:
        raise ValidationError(_("A reminder can be at most %(n)s days before the deadline."), code="range",
                              params={"n": REMINDER_DAYS_MAX})
    return days


def validate_reminder_days(text):
    parse_reminder_days(text)


class Round(models.Model):
    """One annual call: its notice, the date of every step of the cycle and the total budget."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("fund year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    notice = models.TextField(_("application notice"), blank=True)
    notice_date = models.DateField(_("notice issued on"), null=True, blank=True)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    county_deadline = models.DateField(_("county forwarding deadline"), null=True, blank=True)
    expert_review_date = models.DateField(_("expert review by"), null=True, blank=True)
    audit_date = models.DateField(_("audit by"), null=True, blank=True)
    publicity_date = models.DateField(_("publicity from"), null=True, blank=True)
    budget_listing_date = models.DateField(_("budget listing by"), null=True, blank=True)
    payment_deadline = models.DateField(_("awards paid by"), null=True, blank=True)
    # Days before each deadline on which the users who still have work for it are reminded (applications/reminders.py)
    reminder_days = models.CharField(
        _("reminders (days before each deadline)"), max_length=40, default="7,3,1", blank=True,
        validators=[validate_reminder_days],
        help_text=_("Whole numbers of days separated by commas, e.g. 7,3,1; 0 is the day of the deadline; "
                    "empty: no reminders"))
    # Months a funded project has to complete, counted from its first payment (aftercare: project acceptance)
    completion_months = models.PositiveSmallIntegerField(
        _("completion period (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Months from the first payment by which a funded project is completed and reports for "
                    "acceptance"))
    # Years after the year of the first payment for which a funded project reports its results (aftercare: 绩效跟踪)
    followup_years = models.PositiveSmallIntegerField(
        _("follow-up reports (years)"), default=3, validators=[MaxValueValidator(10)],
        help_text=_("Years after the year of the first payment for which a funded enterprise reports its results "
                    "(revenue, taxes, jobs, energy), each by 31 March of the following year; 0: none"))
    total_budget = models.DecimalField(_("total budget (yuan)"), max_digits=14, decimal_places=2, default=0)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    same_county_conflict = models.BooleanField(
        _("experts may not review projects of their own county"), default=True,
        help_text=_("Used by the expert review: an expert from the same county counts as a conflict of interest"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock (core.locking): several city officers edit the call.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("annual call")
        verbose_name_plural = _("annual calls")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="round_window_order"),
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    @property
    def window_state(self):
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def timeline(self):
        """The cycle's steps with their date as text (YYYY-MM-DD, with the time for the window), in order."""
        def day(value):
            return f"{value:%Y-%m-%d}" if value else ""

        def moment(value):
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""

        return [
            (_("Notice issued"), day(self.notice_date)),
            (_("Applications open"), moment(self.opens_at)),
            (_("Applications close"), moment(self.closes_at)),
            (_("Counties forward by"), day(self.county_deadline)),
            (_("Expert review by"), day(self.expert_review_date)),
            (_("Third-party audit by"), day(self.audit_date)),
            (_("Publicity from"), day(self.publicity_date)),
            (_("Listed in the budget by"), day(self.budget_listing_date)),
            (_("Awards paid by"), day(self.payment_deadline)),
        ]

    def reminder_day_list(self):
        """The reminder setting as numbers (days before a deadline), largest first."""
        return parse_reminder_days(self.reminder_days)


class Category(models.Model):
    """An award category of a round (智能化改造, 市场推广 ...) with its eligibility rules."""

    round = models.ForeignKey(Round, verbose_name=_("annual call"), on_delete=models.CASCADE,
                              related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_three_upgrades = models.BooleanField(_("one of the three upgrades (三大改造)"), default=False)
    is_green_manufacturing = models.BooleanField(_("green manufacturing system"), default=False)
    above_scale_only = models.BooleanField(_("only enterprises above designated size"), default=False)
    min_eligible_investment = models.DecimalField(
        _("minimum eligible investment (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Optimistic lock (core.locking) of the category page: the category, its award rule and its materials are
    # edited together, so every save of that page bumps this one number.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["round", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="category_unique_name_per_round")]

    def __str__(self):
        return self.name


class Material(models.Model):
    """A document an application of this category must (or may) carry: one upload slot."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="materials")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("explanation"), max_length=300, blank=True)
    allowed_types = models.JSONField(_("allowed file types"), default=list)
    required = models.BooleanField(_("required"), default=True)
    max_size_mb = models.PositiveSmallIntegerField(
        _("size limit (MB)"), null=True, blank=True, help_text=_("Empty: the platform's limit"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["category", "sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def max_bytes(self):
        limit = settings.UPLOAD_MAX_BYTES
        if self.max_size_mb:
            limit = min(limit, self.max_size_mb * 1024 * 1024)
        return limit

    @property
    def allowed_labels(self):
        labels = dict(FileType.choices)
        return " / ".join(str(labels.get(t, t)) for t in self.allowed_types)

    @property
    def accept_attr(self):
        """The file picker's accept= hint (the server still checks the content)."""
        exts = {"pdf": ".pdf", "jpg": ".jpg,.jpeg", "png": ".png", "docx": ".docx", "xlsx": ".xlsx"}
        return ",".join(exts[t] for t in self.allowed_types if t in exts)


class AwardRule(models.Model):
    """How much a category awards: rate × base, capped; paid once or annually."""

    category = models.OneToOneField(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                    related_name="award_rule")
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, help_text=_("e.g. 0.1000 for 10%"))
    base = models.CharField(_("base"), max_length=10, choices=AwardBase.choices, default=AwardBase.EQUIPMENT)
    cap = models.DecimalField(_("cap (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    payment = models.CharField(_("payment"), max_length=10, choices=PaymentMode.choices, default=PaymentMode.ONE_OFF)
    description = models.CharField(_("explanation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")

    def __str__(self):
        return f"{self.category}: {self.rate_percent}% × {self.get_base_display()}"

    @property
    def rate_percent(self):
        """10 for 0.1000; 12.5 for 0.1250 (plain text, never 1E+1)."""
        return format((self.rate * 100).quantize(Decimal("0.01")).normalize(), "f")

    def known_base(self, application):
        """The investment the award is computed on, or None while the enterprise has not entered it."""
        return {
            AwardBase.EQUIPMENT: application.equipment_investment,
            AwardBase.ELIGIBLE: application.eligible_investment,
            AwardBase.TOTAL: application.total_investment,
        }[self.base]

    def base_amount(self, application):
        return self.known_base(application) or Decimal("0")

    def compute(self, application):
        """The highest award the rule allows for these figures (yuan, 2 places)."""
        amount = (self.base_amount(application) * self.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if self.cap is not None:
            amount = min(amount, self.cap)
        return amount
