import rules
from django.contrib.auth.models import AbstractUser, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.search import BigramIndex, TrigramIndex

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


class Industry(models.TextChoices):
    """Zhengzhou's leading manufacturing industries (主导产业), used for enterprise profiles and filters."""

    ELECTRONICS = "electronics", _("Electronic information")
    AUTOMOTIVE = "automotive", _("Automobiles and parts")
    EQUIPMENT = "equipment", _("Equipment manufacturing")
    NEW_MATERIALS = "new_materials", _("New materials")
    FOOD = "food", _("Modern food")
    ALUMINIUM = "aluminium", _("Aluminium processing")
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    APPAREL = "apparel", _("Apparel and home furnishing")
    OTHER = "other", _("Other manufacturing")


# The fields of the company profile that the enterprise's own users keep (never kind, credit code, verification or
# activity: those are the city's).
PROFILE_FIELDS = ["name", "county", "industry", "is_above_scale", "legal_representative", "contact_person",
                  "contact_phone", "address", "bank_account_name", "bank_name", "bank_account_no"]


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True, null=True, blank=True)
    county = models.ForeignKey(County, verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="organisations")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Enterprise profile (kind = enterprise); empty for bureaus.
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    is_above_scale = models.BooleanField(
        _("above designated size"), default=False,
        help_text=_("Industrial enterprise with annual main business revenue of 20 million yuan or more"),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    bank_account_name = models.CharField(_("bank account name"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_no = models.CharField(_("bank account number"), max_length=40, blank=True)
    is_verified = models.BooleanField(_("verified by the city bureau"), default=False, db_index=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey("accounts.User", verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # Optimistic lock (core.locking): several users of one enterprise and the city bureau edit this record.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        indexes = [
            models.Index(fields=["kind", "county"]),
            # search by name (core.search); prefix search on credit_code uses the varchar_pattern_ops index
            # PostgreSQL gets for every unique or indexed CharField
            TrigramIndex("name", name="org_name_trgm"),
            BigramIndex("name", name="org_name_bigrams"),
        ]

    def __str__(self):
        return self.name

    @property
    def division_mismatch(self):
        """Characters 3-8 of the credit code name the registering authority: a hint, not a rule (firms move)."""
        code = self.credit_code or ""
        division = self.county.division_code if self.county_id and self.county else ""
        return bool(code and division and code[2:8] != division)


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

    def has_perm(self, perm, obj=None):
        """The named `rules` permissions decide by role for superusers too (a superuser is no enterprise and
        no expert); every other permission (the admin site's model permissions) stays open to them."""
        if self.is_active and self.is_superuser and not rules.perm_exists(perm):
            return True
        return _user_has_perm(self, perm, obj)

    @property
    def requires_two_factor(self):
        return self.role in TWO_FACTOR_ROLES


BANK_FIELDS = ("bank_account_name", "bank_name", "bank_account_no")


class BankAccountChange(models.Model):
    """An enterprise's change of the bank account its funds are paid into. It takes effect only when a county
    user of the enterprise's county or a city user (never the requester: staff and enterprise users are different
    people by construction, and the database refuses it too) verifies it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        APPROVED = "approved", _("Verified")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Replaced by a newer change")

    organisation = models.ForeignKey(Organisation, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                     related_name="bank_changes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    old_account_name = models.CharField(_("previous account name"), max_length=200, blank=True)
    old_bank_name = models.CharField(_("previous bank"), max_length=100, blank=True)
    old_account_no = models.CharField(_("previous account number"), max_length=40, blank=True)
    new_account_name = models.CharField(_("new account name"), max_length=200)
    new_bank_name = models.CharField(_("new bank"), max_length=100)
    new_account_no = models.CharField(_("new account number"), max_length=40)
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(User, verbose_name=_("verified by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bank account change")
        verbose_name_plural = _("bank account changes")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(status="pending"),
                                    name="bank_change_one_pending"),
            models.CheckConstraint(condition=models.Q(decided_by__isnull=True)
                                   | ~models.Q(decided_by=models.F("requested_by")),
                                   name="bank_change_four_eyes"),
            models.CheckConstraint(condition=models.Q(status="pending") | models.Q(status="withdrawn")
                                   | models.Q(decided_by__isnull=False),
                                   name="bank_change_decided_by_someone"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.requested_at:%Y-%m-%d}"
