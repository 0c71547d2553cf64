"""The third-party audit (审定) of an application's investment figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock

from ..workflow import AuditStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


def audit_report_path(instance, filename):
    # ``filename`` is generated (uuid + .pdf), never the user's name.
    return f"audits/{instance.application.round.year}/{filename}"


class Audit(models.Model):
    application = models.OneToOneField("applications.Application", verbose_name=_("application"),
                                       on_delete=models.PROTECT, related_name="audit")
    firm = models.ForeignKey("accounts.Organisation", verbose_name=_("audit firm"), on_delete=models.PROTECT,
                             related_name="audits", limit_choices_to={"kind": "auditor"})
    status = models.CharField(_("status"), max_length=10, choices=AuditStatus.choices, default=AuditStatus.ASSIGNED,
                              db_index=True)
    audited_investment = models.DecimalField(
        _("audited investment (yuan)"), null=True, blank=True, **MONEY,
        help_text=_("The audited figure of the investment the award rule is based on"))
    audited_amount = models.DecimalField(_("audited amount (yuan)"), null=True, blank=True, **MONEY,
                                         help_text=_("The award amount the auditor confirms (审定金额)"))
    opinion = models.TextField(_("audit opinion"), blank=True)
    report = models.FileField(_("audit report"), upload_to=audit_report_path, max_length=200, blank=True)
    report_name = models.CharField(_("file name"), max_length=150, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("given to the auditor"), default=clock.now, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("third-party audit")
        verbose_name_plural = _("third-party audits")
        ordering = ["-assigned_at", "-id"]
        indexes = [models.Index(fields=["firm", "status"])]

    def __str__(self):
        return f"{self.application_id} / {self.firm_id}"
