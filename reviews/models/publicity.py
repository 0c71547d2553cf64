"""Publicity (公示) of the proposed support list, objections (异议), and the support list for the budget."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock

from ..workflow import ObjectionStatus, PublicityStatus, SupportListStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class Publicity(models.Model):
    round = models.ForeignKey("applications.Round", verbose_name=_("annual call"), on_delete=models.PROTECT,
                              related_name="publicities")
    title = models.CharField(_("title"), max_length=200)
    notice = models.TextField(_("notice text"), blank=True)
    starts_on = models.DateField(_("published on"))
    working_days = models.PositiveSmallIntegerField(_("period (working days)"))
    ends_on = models.DateField(_("objections until"),
                               help_text=_("The last working day of the period, by the Chinese holiday calendar"))
    status = models.CharField(_("status"), max_length=10, choices=PublicityStatus.choices,
                              default=PublicityStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closing time"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title


class PublicityEntry(models.Model):
    """What the public list showed, frozen at publication."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Pending")
        PASSED = "passed", _("Passed")
        REMOVED = "removed", _("Removed after an objection")

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="publicity_entries")
    number = models.PositiveSmallIntegerField(_("no."))
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    project_name = models.CharField(_("project"), max_length=200)
    category_name = models.CharField(_("category"), max_length=100)
    county_name = models.CharField(_("county"), max_length=50)
    amount = models.DecimalField(_("proposed award (yuan)"), **MONEY)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("publicity entry")
        verbose_name_plural = _("publicity entries")
        ordering = ["publicity", "number"]
        constraints = [models.UniqueConstraint(fields=["publicity", "application"], name="publicity_entry_unique")]

    def __str__(self):
        return f"{self.number}. {self.enterprise_name}"


class Objection(models.Model):
    """A written objection filed by anyone (real name and contact required) during the period."""

    publicity = models.ForeignKey(Publicity, verbose_name=_("publicity"), on_delete=models.PROTECT,
                                  related_name="objections")
    entry = models.ForeignKey(PublicityEntry, verbose_name=_("concerning"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("real name"), max_length=50)
    contact = models.CharField(_("contact (phone or e-mail)"), max_length=100)
    text = models.TextField(_("objection"))
    submitted_at = models.DateTimeField(_("received"), default=clock.now, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.RECEIVED, db_index=True)
    handling_note = models.TextField(_("how it was handled"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.publicity_id}: {self.name}"


class SupportList(models.Model):
    """The support list proposed by the city into next year's budget; approved by the finance bureau."""

    round = models.ForeignKey("applications.Round", verbose_name=_("annual call"), on_delete=models.PROTECT,
                              related_name="support_lists")
    fund_year = models.PositiveSmallIntegerField(_("budget year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=SupportListStatus.choices,
                              default=SupportListStatus.DRAFT, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    return_note = models.TextField(_("reasons for return"), blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support list")
        verbose_name_plural = _("support lists")
        ordering = ["-fund_year", "-id"]

    def __str__(self):
        return self.title


class SupportListEntry(models.Model):
    support_list = models.ForeignKey(SupportList, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="support_entries")
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    project_name = models.CharField(_("project"), max_length=200)
    category_name = models.CharField(_("category"), max_length=100)
    amount = models.DecimalField(_("award (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("support list entry")
        verbose_name_plural = _("support list entries")
        ordering = ["support_list", "category_name", "id"]
        constraints = [models.UniqueConstraint(fields=["application"], name="support_entry_one_per_application")]

    def __str__(self):
        return f"{self.enterprise_name}: {self.amount}"
