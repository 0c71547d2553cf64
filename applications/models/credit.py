from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditClearance(models.Model):
    """Why an application whose enterprise is on a credit list may still pass qualification: written by one
    city user, confirmed by another (four eyes). Qualification refuses a listed enterprise without it."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE,
                                       related_name="credit_clearance")
    reason = models.TextField(_("reason"), max_length=2000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("credit clearance")
        verbose_name_plural = _("credit clearances")
        constraints = [models.CheckConstraint(condition=models.Q(confirmed_by__isnull=True)
                                              | ~models.Q(confirmed_by=models.F("proposed_by")),
                                              name="credit_clearance_four_eyes")]

    def __str__(self):
        return str(self.application)

    @property
    def confirmed(self):
        return self.confirmed_by_id is not None
