"""The expert pool (专家库) and the review settings of an annual call."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.validators import validate_credit_code

from ..aggregation import Method


class ExpertProfile(models.Model):
    """An expert of the pool. Logs in with the expert role; the employer decides conflicts of interest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"), on_delete=models.PROTECT,
                                related_name="expert_profile", limit_choices_to={"role": Role.EXPERT})
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    specialties = models.CharField(_("specialties"), max_length=300, blank=True,
                                   help_text=_("Separate several specialties with commas"))
    employer_name = models.CharField(_("employer"), max_length=200)
    employer_credit_code = models.CharField(
        _("employer's unified social credit code"), max_length=18, validators=[validate_credit_code], db_index=True,
        help_text=_("18 characters; used to exclude the expert from applications of the employer"))
    county = models.ForeignKey("accounts.County", verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Where the expert works; used by the same-county rule"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name

    def clean(self):
        if self.user_id and self.user.role != Role.EXPERT:
            raise ValidationError({"user": _("Only a user with the expert role can have an expert profile.")})
        if self.employer_credit_code:
            self.employer_credit_code = self.employer_credit_code.strip().upper()

    @property
    def specialty_list(self):
        return [s.strip() for s in self.specialties.replace("，", ",").split(",") if s.strip()]


class ReviewConfig(models.Model):
    """How one annual call is reviewed; created with defaults the first time it is needed."""

    round = models.OneToOneField("applications.Round", verbose_name=_("annual call"), on_delete=models.CASCADE,
                                 related_name="review_config")
    experts_per_application = models.PositiveSmallIntegerField(
        _("experts per application"), default=5, validators=[MinValueValidator(1), MaxValueValidator(15)])
    aggregation_method = models.CharField(_("aggregation"), max_length=20, choices=Method.choices,
                                          default=Method.TRIMMED_MEAN)
    outlier_distance = models.DecimalField(
        _("outlier distance (points)"), max_digits=5, decimal_places=1, default=Decimal("15"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("A score further than this from the mean of its application is flagged"))
    comment_required_below = models.DecimalField(
        _("comment required below (points)"), max_digits=5, decimal_places=1, default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0"))])
    publicity_working_days = models.PositiveSmallIntegerField(
        _("publicity period (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)])
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self):
        return str(self.round)
