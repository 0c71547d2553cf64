"""An enterprise's application, its submitted versions, attachments, receipt numbers and qualification decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock
from core.search import BigramIndex, TrigramIndex

from ..workflow import Status
from .call import Category, Material, Round
from .stored_file import StoredFile

MONEY = {"max_digits": 14, "decimal_places": 2}


class ConstructionType(models.TextChoices):
    NEW = "new", _("New construction")
    EXPANSION = "expansion", _("Expansion")
    RENOVATION = "renovation", _("Technical renovation")
    OTHER = "other", _("Other")


class Application(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("annual call"), on_delete=models.PROTECT,
                              related_name="applications")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="applications")
    # indexed with the submission time (app_enterprise_submitted), not alone
    enterprise = models.ForeignKey("accounts.Organisation", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="applications", db_index=False)
    # Copied from the enterprise at each submission: the county that handles it, even if the firm moves later.
    county = models.ForeignKey("accounts.County", verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="applications", db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped by every change")

    project_name = models.CharField(_("project name"), max_length=200)
    construction_type = models.CharField(_("construction type"), max_length=20, choices=ConstructionType.choices,
                                         blank=True)
    location = models.CharField(_("project location"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    total_investment = models.DecimalField(_("total investment (yuan)"), null=True, blank=True, **MONEY)
    eligible_investment = models.DecimalField(_("eligible investment (yuan)"), null=True, blank=True, **MONEY)
    equipment_investment = models.DecimalField(_("equipment investment (yuan)"), null=True, blank=True, **MONEY)
    requested_amount = models.DecimalField(_("requested amount (yuan)"), null=True, blank=True, **MONEY)
    description = models.TextField(_("project description"), blank=True)
    expected_outcomes = models.TextField(_("expected outcomes"), blank=True)
    other_subsidy = models.BooleanField(_("funded by another subsidy"), default=False)
    other_subsidy_detail = models.CharField(_("other subsidy"), max_length=300, blank=True)
    # kept up to date by applications.duplicates (the checks' result, read by the lists and their filter)
    possible_duplicate = models.BooleanField(_("possible duplicate"), default=False, editable=False)
    declaration_accepted = models.BooleanField(_("declaration accepted"), default=False)
    declaration_accepted_at = models.DateTimeField(null=True, blank=True)

    receipt_no = models.CharField(_("receipt number"), max_length=24, blank=True, db_index=True)
    return_reason = models.TextField(_("reasons for return"), blank=True)
    county_opinion = models.TextField(_("county opinion"), blank=True)
    county_rank = models.PositiveSmallIntegerField(_("county rank"), null=True, blank=True)
    re_review_reason = models.TextField(_("reasons for the re-review request"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    county_decided_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    city_accepted_at = models.DateTimeField(null=True, blank=True)
    qualified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["round", "county", "status"], name="app_round_county_status"),
            models.Index(fields=["round", "status"], name="app_round_status"),
            models.Index(fields=["enterprise", "round", "category"], name="app_enterprise_category"),
            # the list pages: the default order (newest submitted first, then id) alone and under each filter
            models.Index(fields=["-first_submitted_at", "-id"], name="app_submitted_order"),
            models.Index(fields=["county", "-first_submitted_at", "-id"], name="app_county_submitted"),
            models.Index(fields=["status", "-first_submitted_at", "-id"], name="app_status_submitted"),
            models.Index(fields=["round", "-first_submitted_at", "-id"], name="app_round_submitted"),
            models.Index(fields=["category", "-first_submitted_at", "-id"], name="app_category_submitted"),
            # an enterprise's applications newest first: a search by credit code (the enterprises looked up first,
            # core.search) reads and sorts its applications from the index alone; also the foreign key's index
            models.Index(fields=["enterprise", "-first_submitted_at", "-id"], name="app_enterprise_submitted"),
            # the filter "only possible duplicates" (a few in a thousand), newest first
            models.Index(fields=["-first_submitted_at", "-id"], name="app_duplicate_submitted",
                         condition=models.Q(possible_duplicate=True)),
            # a county's applications in one status by amount, largest first (the city's ranking of a county); the
            # submission time rides along so that the lists' capped count of a county and status (every staff list
            # leaves out the drafts never submitted) reads the index alone, not the table
            models.Index(fields=["county", "status", "-requested_amount", "-id"], name="app_county_status_amount",
                         include=["first_submitted_at"]),
            # when the counties last forwarded in a call (the review-timeliness indicator, the report): the
            # latest forwarding of a million applications read from the end of the index, not by a scan
            models.Index(fields=["round", "forwarded_at"], name="app_round_forwarded",
                         condition=models.Q(forwarded_at__isnull=False)),
            # the oldest application waiting at each staff queue of the dashboard (applications.dashboard): the
            # first entry of a small index, not a scan of the status's rows
            models.Index(fields=["submitted_at"], name="app_waiting_intake", condition=models.Q(status="submitted")),
            models.Index(fields=["county_decided_at"], name="app_waiting_forwarding",
                         condition=models.Q(status="county_accepted")),
            models.Index(fields=["forwarded_at"], name="app_waiting_acceptance",
                         condition=models.Q(status="forwarded")),
            models.Index(fields=["city_accepted_at"], name="app_waiting_qualification",
                         condition=models.Q(status="city_accepted")),
            # the search box (core.search); receipt_no's db_index brings the varchar_pattern_ops index of prefixes
            TrigramIndex("project_name", name="app_project_name_trgm"),
            BigramIndex("project_name", name="app_project_name_bigrams"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "receipt_no"], condition=~models.Q(receipt_no=""),
                                    name="app_unique_receipt_per_round"),
        ]

    def __str__(self):
        label = self.receipt_no or _("draft")
        return f"{label} {self.project_name}"


class ApplicationVersion(models.Model):
    """A frozen copy of every submitted version, so that two versions can be compared."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField()
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="version_unique_number")]

    def __str__(self):
        return f"{self.application_id} v{self.number}"


def attachment_path(instance, filename):
    # ``filename`` is already the generated name (uuid + detected extension); never the user's name.
    return f"applications/{instance.application.round.year}/{filename}"


class Attachment(StoredFile):
    """One uploaded file in a material slot. Replaced files stay (is_current=False) for older versions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    material = models.ForeignKey(Material, verbose_name=_("material"), on_delete=models.PROTECT,
                                 related_name="attachments")
    sha256 = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["material__sort_order", "material_id", "-uploaded_at"]
        # every lookup by content is among the current files (the duplicate checks): the application beside the
        # hash lets a check skip an application's own file without reading the table
        indexes = [models.Index(fields=["sha256", "application"], condition=models.Q(is_current=True),
                                name="attachment_current_sha256")]
        constraints = [
            models.UniqueConstraint(fields=["application", "material"], condition=models.Q(is_current=True),
                                    name="attachment_one_current_per_slot"),
        ]

    def upload_path(self, filename):
        return attachment_path(self, filename)


def evidence_path(instance, filename):
    # ``filename`` is already the generated name (uuid + detected extension); never the user's name.
    return f"applications/{instance.application.round.year}/re-review/{filename}"


class ReReviewEvidence(StoredFile):
    """A document the enterprise attached to its re-review request (checked like an application attachment)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="re_review_evidence")

    class Meta:
        verbose_name = _("re-review document")
        verbose_name_plural = _("re-review documents")
        ordering = ["application", "uploaded_at", "id"]

    def upload_path(self, filename):
        return evidence_path(self, filename)


class ReceiptCounter(models.Model):
    """The last receipt number given per round and county; locked while the next one is taken (gap-free)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "county"], name="receipt_counter_unique")]

    def __str__(self):
        return f"{self.round_id}/{self.county_id}: {self.last_number}"


class QualificationDecision(models.Model):
    """The city's qualification decision with its reasons (indicator 9 counts these, re-reviews included)."""

    class Decision(models.TextChoices):
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Disqualified")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="qualification_decisions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    is_re_review = models.BooleanField(_("re-review"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # a default, not auto_now_add: imported and demo decisions keep their real dates (indicators 9 and 15)
    decided_at = models.DateTimeField(_("time"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("qualification decision")
        verbose_name_plural = _("qualification decisions")
        ordering = ["application", "decided_at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.decision}"
