"""What feeds the indicators besides the platform's records: imported statistics and judgements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import Grade, Period, StatisticKey
from .year import EvaluationYear, Indicator


class StatisticsImport(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="statistics_imports")
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    # A person's upload, or figures pushed by another government system through the API (then the system's
    # name and its idempotency key).
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    source_system = models.CharField(_("sent by system"), max_length=100, blank=True)
    client_key = models.CharField(max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_system", "client_key"],
                                               condition=~models.Q(client_key=""),
                                               name="statistics_import_unique_client_key")]
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.filename


class StatisticFigure(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="figures")
    period = models.CharField(_("period"), max_length=4, choices=Period.choices, default=Period.YEAR)
    key = models.CharField(_("figure"), max_length=40, choices=StatisticKey.choices)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source_import = models.ForeignKey(StatisticsImport, on_delete=models.CASCADE, related_name="figures")

    class Meta:
        verbose_name = _("statistic figure")
        verbose_name_plural = _("statistic figures")
        constraints = [models.UniqueConstraint(fields=["year", "period", "key"], name="evaluation_figure_unique")]

    def __str__(self):
        return f"{self.year} {self.get_key_display()} {self.value}"


class Judgement(models.Model):
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="judgement")
    grade = models.CharField(_("judgement"), max_length=12, choices=Grade.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    basis = models.TextField(_("basis"), max_length=8000)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(_("judged at"), auto_now=True)
    version = models.PositiveIntegerField(default=0)  # optimistic lock; 0 = not judged yet (no row)

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")

    def __str__(self):
        return f"{self.indicator} {self.get_grade_display()}"


class Evidence(models.Model):
    """An attachment supporting a judgement; served only through a permission-checked view."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evaluation/evidence/%Y/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
