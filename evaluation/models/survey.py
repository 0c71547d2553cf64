"""The satisfaction survey of enterprises; its results feed 受补贴企业满意度."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import SurveyStatus
from .year import EvaluationYear


class Survey(models.Model):
    class Scope(models.TextChoices):
        SELECTED = "selected", _("Selected enterprises")
        ALL_WITH_USERS = "all_with_users", _("All enterprises with a user account")
        FUNDED = "funded", _("Funded enterprises of the year")

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, max_length=4000)
    scope = models.CharField(_("respondents"), max_length=20, choices=Scope.choices, default=Scope.SELECTED)
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT,
                              db_index=True)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class SurveyInvitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "organisation"], name="evaluation_invitation_unique")]
        indexes = [models.Index(fields=["organisation", "survey"])]

    def __str__(self):
        return f"{self.survey} → {self.organisation}"


class SurveyResponse(models.Model):
    """One per enterprise and survey: the unique constraint makes "answers once" hold under races too."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    comment = models.TextField(_("comments and suggestions"), blank=True, max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "organisation"], name="evaluation_response_once")]

    def __str__(self):
        return f"{self.survey} · {self.organisation}"


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neutral")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="evaluation_answer_unique"),
            models.CheckConstraint(condition=models.Q(rating__gte=1) & models.Q(rating__lte=5),
                                   name="evaluation_answer_rating_range"),
        ]
