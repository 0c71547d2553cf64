"""Mid-year monitoring (绩效监控): a dated, frozen snapshot of every indicator against its target."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .year import EvaluationYear, Indicator


class MonitoringSnapshot(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField(_("as of"))
    second_half_plan = models.TextField(_("plan for the second half"), blank=True, max_length=8000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)  # optimistic lock of the plan for the second half

    class Meta:
        verbose_name = _("monitoring snapshot")
        verbose_name_plural = _("monitoring snapshots")
        ordering = ["-taken_on", "-id"]

    def __str__(self):
        return f"{self.year} {self.taken_on:%Y-%m-%d}"


class MonitoringEntry(models.Model):
    class State(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        NO_DATA = "no_data", _("No data yet")

    snapshot = models.ForeignKey(MonitoringSnapshot, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, null=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    target = models.CharField(max_length=80)
    actual = models.CharField(max_length=80)
    expected = models.CharField(_("expected by now"), max_length=80, blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    points = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    state = models.CharField(max_length=10, choices=State.choices, db_index=True)
    warning = models.CharField(_("warning"), max_length=300, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.snapshot} {self.number}"
