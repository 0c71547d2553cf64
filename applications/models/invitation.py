"""Invitations (政策匹配邀请): the city invites an enterprise that the statistics registry shows as eligible for a
category, but that has not applied, to apply. A registered enterprise gets a notification and a draft; an
unregistered one is listed for its county to contact."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .call import Category, Round


class Invitation(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("annual call"), on_delete=models.CASCADE,
                              related_name="invitations")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="invitations")
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    name = models.CharField(_("name"), max_length=200)
    county = models.ForeignKey("accounts.County", verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("enterprise"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="invitations")
    reasons = models.CharField(_("why it matches"), max_length=500, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("invited"))
    draft = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["category", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "credit_code"], name="invitation_once")]

    def __str__(self):
        return f"{self.category} · {self.name}"
