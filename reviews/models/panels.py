"""Panels, rubrics, assignments with their conflict declarations, and scores."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock

from ..workflow import ACTIVE_ASSIGNMENT, AssignmentStatus, PanelStatus, ScoreStatus

POINTS = {"max_digits": 5, "decimal_places": 1}


class Panel(models.Model):
    """The expert panel (评审组) of one category of an annual call."""

    round = models.ForeignKey("applications.Round", verbose_name=_("annual call"), on_delete=models.PROTECT,
                              related_name="panels")
    category = models.OneToOneField("applications.Category", verbose_name=_("category"), on_delete=models.PROTECT,
                                    related_name="panel")
    name = models.CharField(_("name"), max_length=100)
    chair = models.ForeignKey("reviews.ExpertProfile", verbose_name=_("panel chair"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="chaired_panels")
    members = models.ManyToManyField("reviews.ExpertProfile", verbose_name=_("members"), blank=True,
                                     related_name="panels")
    status = models.CharField(_("status"), max_length=10, choices=PanelStatus.choices, default=PanelStatus.DRAFT,
                              db_index=True)
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(_("opening time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closing time"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")
        ordering = ["round", "category__sort_order", "id"]

    def __str__(self):
        return self.name


class Rubric(models.Model):
    """The scoring table (评分表) of a category: criteria with maximum points (their weights)."""

    category = models.OneToOneField("applications.Category", verbose_name=_("category"), on_delete=models.CASCADE,
                                    related_name="rubric")
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True,
                                     help_text=_("Set when the panel opens; a frozen rubric cannot change"))

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return str(self.category)


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    max_points = models.DecimalField(_("maximum points"), validators=[MinValueValidator(1)], **POINTS,
                                     help_text=_("The criterion's weight: the points it can give at most"))
    guidance = models.TextField(_("guidance"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "order", "id"]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """One expert reviewing one application in a panel."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.PROTECT, related_name="review_assignments")
    expert = models.ForeignKey("reviews.ExpertProfile", verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="assignments")
    status = models.CharField(_("status"), max_length=12, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ASSIGNED, db_index=True)
    replaced_by = models.ForeignKey("self", verbose_name=_("replaced by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="replaces")
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_hand = models.BooleanField(_("assigned by hand"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("assigned"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["application_id", "id"]
        indexes = [models.Index(fields=["expert", "status"]), models.Index(fields=["panel", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"],
                                    condition=models.Q(status__in=ACTIVE_ASSIGNMENT),
                                    name="assignment_one_active_per_expert"),
        ]

    def __str__(self):
        return f"{self.expert} → {self.application_id}"

    @property
    def is_active(self):
        return self.status in ACTIVE_ASSIGNMENT


class ConflictDeclaration(models.Model):
    """The expert's declaration (回避声明) before opening an assigned application."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="declaration")
    has_conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")

    def __str__(self):
        return f"{self.assignment}: {'conflict' if self.has_conflict else 'none'}"


class Score(models.Model):
    """An expert's score of one application; submitting locks it."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="score")
    status = models.CharField(_("status"), max_length=10, choices=ScoreStatus.choices, default=ScoreStatus.DRAFT,
                              db_index=True)
    total = models.DecimalField(_("total"), default=0, **POINTS)
    comment = models.TextField(_("comment"), blank=True)
    is_outlier = models.BooleanField(_("outlier"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self):
        return f"{self.assignment}: {self.total}"


class ScoreItem(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), validators=[MinValueValidator(0)], **POINTS)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["score", "criterion"], name="score_item_unique")]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"
