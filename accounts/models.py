from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import TWO_FACTOR_ROLES, OrganisationKind, Role


class County(models.Model):
    """A county-level unit of Zhengzhou (district, county-level city, county or functional zone)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        CITY = "city", _("County-level city")
        COUNTY = "county", _("County")
        ZONE = "zone", _("Functional zone")

    name = models.CharField(_("name"), max_length=50, unique=True)
    division_code = models.CharField(_("division code"), max_length=6, blank=True,
                                     help_text=_("GB/T 2260 code; empty for functional zones"))
    abbreviation = models.CharField(_("abbreviation"), max_length=4, unique=True,
                                    help_text=_("Used in receipt numbers, e.g. ZY for 中原区"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True, null=True, blank=True)
    county = models.ForeignKey(County, verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="organisations")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "county"])]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE, db_index=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    county = models.ForeignKey(County, verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="staff",
                               help_text=_("For county bureau staff: the county they work for"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def requires_two_factor(self):
        return self.role in TWO_FACTOR_ROLES
