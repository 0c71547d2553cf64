"""Forms of the application pages. Amounts are typed in 万元 and stored in yuan (Decimal, exact): core.money's
WanField parses them strictly and keeps what was typed on an error."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.locking import VersionedFormMixin
from core.money import WanField, format_wan
from core.web import StrictIntegerField

from .models import Application, AwardRule, Category, FileType, Material, Round
from .models.call import parse_reminder_days
from .selectors import DEFAULT_SORT, SORTS
from .services.drafts import DRAFT_FIELDS, WAN_LABELS
from .workflow import Status


class ApplicationForm(StyledFormMixin, forms.ModelForm):
    """The draft form: nothing is required while drafting; submission checks completeness."""

    total_investment = WanField(label=WAN_LABELS["total_investment"], required=False)
    eligible_investment = WanField(
        label=WAN_LABELS["eligible_investment"], required=False,
        help_text=_("The part of the investment the policy supports (equipment, software, installation ...)."))
    equipment_investment = WanField(label=WAN_LABELS["equipment_investment"], required=False)
    requested_amount = WanField(label=WAN_LABELS["requested_amount"], required=False)
    version = StrictIntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = list(DRAFT_FIELDS)
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "expected_outcomes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "project_name": _("As in the project's filing (备案) documents."),
            "other_subsidy": _("Tick if this project receives or has applied for another government subsidy."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["project_name"].required = False
        rule = getattr(self.instance.category, "award_rule", None) if self.instance.category_id else None
        if rule is not None:
            self.fields["requested_amount"].help_text = _(
                "At most %(rate)s%% of the %(base)s%(cap)s.") % {
                "rate": rule.rate_percent, "base": rule.get_base_display().lower(),
                "cap": _(", capped at %(cap)s (10,000 yuan)") % {"cap": format_wan(rule.cap)} if rule.cap else "",
            }
            if rule.base != "equipment":
                self.fields["equipment_investment"].help_text = _("Optional for this category.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date lies before the start date."))
        return data


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("I have read the declaration and confirm that everything in this application and its attachments is "
                "true, complete and my enterprise's own."),
        error_messages={"required": _("Read and accept the declaration before submitting.")},
    )
    version = StrictIntegerField(widget=forms.HiddenInput)


class ActionForm(StyledFormMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reasons / opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1, max_value=999)
    version = StrictIntegerField(widget=forms.HiddenInput)


class ReReviewForm(StyledFormMixin, forms.Form):
    """The re-review request: the reasons (required) and supporting documents (read from request.FILES by the
    view, checked by the service)."""

    note = forms.CharField(label=_("Reasons for the re-review"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=2000, error_messages={"required": _("Give the reasons for the re-review.")})
    version = StrictIntegerField(widget=forms.HiddenInput)


class ListSearchForm(forms.Form):
    """The search box of the list pages (the first field of ListFilterForm): a list that is searched and not
    filtered binds this alone."""

    q = forms.CharField(label=_("Receipt no., credit code, enterprise or project"), required=False, max_length=100)


class ListFilterForm(ListSearchForm):
    """Filters of the list pages. Menus are plain id choices filled by the view (no query per menu);
    core.filter_bar renders the controls."""

    round = forms.TypedChoiceField(label=_("Annual call"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    county = forms.TypedChoiceField(label=_("County"), coerce=int, required=False, empty_value=None)
    amount_min = WanField(label=_("Requested from (10,000 yuan)"), required=False)  # cleaned to yuan
    amount_max = WanField(label=_("to (10,000 yuan)"), required=False)
    duplicates = forms.BooleanField(label=_("Only possible duplicates"), required=False)
    credit = forms.BooleanField(label=_("Only enterprises on a credit list"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("-submitted", _("Newest submitted first")), ("submitted", _("Oldest submitted first")),
        ("receipt", _("Receipt number")), ("-amount", _("Requested amount, largest first")),
        ("amount", _("Requested amount, smallest first")), ("enterprise", _("Enterprise name")),
        ("rank", _("County rank")), ("-updated", _("Recently changed")),
    ])

    def __init__(self, *args, actor=None, categories=(), counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        is_enterprise = actor is not None and actor.has_perm("applications.list_own_applications")
        self.fields["status"].choices = [("", _("All statuses")),
                                         *((s.value, s.label) for s in Status if is_enterprise or s != Status.DRAFT)]
        rounds = {}
        for category in categories:
            rounds.setdefault(category.round_id, category.round)
        self.fields["round"].choices = [("", _("All calls")), *((r.pk, r.title) for r in rounds.values())]
        self.fields["category"].choices = [("", _("All categories")),
                                           *((c.pk, f"{c.round.year} · {c.name}") for c in categories)]
        self.fields["county"].choices = [("", _("All counties")), *((c.pk, c.name) for c in counties)]
        if actor is not None and not actor.has_perm("accounts.see_every_county"):
            del self.fields["county"]
        if actor is not None and not actor.has_perm("applications.see_duplicates"):
            del self.fields["duplicates"]
            del self.fields["credit"]

    def clean_sort(self):
        value = self.cleaned_data.get("sort") or DEFAULT_SORT
        return value if value in SORTS else DEFAULT_SORT


# --- the call, edited by city staff ---

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewOrVersionedMixin(VersionedFormMixin):
    """The optimistic lock of records several city officers edit; a new record starts at its default version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # nothing to be stale against yet
            self.initial.setdefault("version", self.instance.version)
            self.fields["version"].required = False


class RoundForm(NewOrVersionedMixin, StyledFormMixin, forms.ModelForm):
    total_budget = WanField(label=_("Total budget (10,000 yuan)"))
    followup_years = StrictIntegerField(label=_("Follow-up reports (years)"), min_value=0, max_value=10, required=False,
                                        help_text=Round._meta.get_field("followup_years").help_text)

    class Meta:
        model = Round
        fields = ["year", "title", "notice", "notice_date", "opens_at", "closes_at", "county_deadline",
                  "expert_review_date", "audit_date", "publicity_date", "budget_listing_date", "payment_deadline",
                  "reminder_days", "followup_years", "total_budget", "same_county_conflict"]
        widgets = {
            "notice": forms.Textarea(attrs={"rows": 10}),
            "opens_at": DATETIME_WIDGET, "closes_at": DATETIME_WIDGET,
            **dict.fromkeys(("notice_date", "county_deadline", "expert_review_date", "audit_date", "publicity_date",
                             "budget_listing_date", "payment_deadline"), DATE_WIDGET),
        }

    def clean_reminder_days(self):
        """Typed as 7，3，1 or 7, 3, 1: kept as "7,3,1" (largest first)."""
        return ",".join(str(day) for day in parse_reminder_days(self.cleaned_data.get("reminder_days")))

    def clean_followup_years(self):
        """Left empty: the default period (0 is typed for none)."""
        years = self.cleaned_data.get("followup_years")
        return Round._meta.get_field("followup_years").default if years is None else years

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and Round.objects.filter(year=year).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("A call for %(year)s already exists; edit that year's call instead.") % {"year": year},
                code="unique")
        return year

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Applications must close after they open."))
        deadline = data.get("county_deadline")
        if closes and deadline and deadline < closes.date():
            self.add_error("county_deadline", _("The county deadline cannot lie before the application deadline."))
        return data


class CategoryForm(NewOrVersionedMixin, StyledFormMixin, forms.ModelForm):
    min_eligible_investment = WanField(label=_("Minimum eligible investment (10,000 yuan)"), required=False)

    class Meta:
        model = Category
        fields = ["name", "description", "is_three_upgrades", "is_green_manufacturing", "above_scale_only",
                  "min_eligible_investment", "sort_order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AwardRuleForm(StyledFormMixin, forms.ModelForm):
    rate_percent = forms.DecimalField(label=_("Rate (%)"), min_value=0, max_value=100, decimal_places=2)
    cap = WanField(label=_("Cap (10,000 yuan)"), required=False, help_text=_("Empty: no cap."))

    class Meta:
        model = AwardRule
        fields = ["base", "cap", "payment", "description"]

    field_order = ["rate_percent", "base", "cap", "payment", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.rate is not None:
            self.fields["rate_percent"].initial = Decimal(self.instance.rate_percent)

    def rate(self):
        """The rate as the model keeps it: a fraction (0.1000 for 10%)."""
        return (self.cleaned_data["rate_percent"] / 100).quantize(Decimal("0.0001"))

    def save(self, commit=True):
        self.instance.rate = self.rate()
        return super().save(commit)


class MaterialForm(StyledFormMixin, forms.ModelForm):
    allowed_types = forms.MultipleChoiceField(label=_("Allowed file types"), widget=forms.CheckboxSelectMultiple,
                                              choices=[])

    class Meta:
        model = Material
        fields = ["name", "description", "allowed_types", "required", "max_size_mb", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allowed_types"].choices = FileType.choices


MaterialFormSet = forms.inlineformset_factory(Category, Material, form=MaterialForm, extra=2, can_delete=True)
