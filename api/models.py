"""Tokens that let another government system read the platform (and push statistics) through /api/v1/."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One named external system's key. Only a hash is stored; the key is shown once, when it is issued.

    ``county`` empty means the whole city; a county token sees only that county's records. The key reads
    ``zzg_<prefix>.<secret>``: the prefix finds the row, the hash of the whole key proves it."""

    system_name = models.CharField(_("external system"), max_length=100)
    county = models.ForeignKey("accounts.County", verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Empty: the whole city."))
    can_push_statistics = models.BooleanField(_("may send statistics figures"), default=False)
    can_push_registry = models.BooleanField(_("may send the enterprise registry"), default=False)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("interface token")
        verbose_name_plural = _("interface tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.system_name} (zzg_{self.prefix})"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def scope_label(self):
        return self.county.name if self.county_id else _("Whole city")
