"""Forms of the review stage. Validation that depends on state lives in the services; these check input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import County
from accounts.validators import validate_credit_code, validate_phone
from core.forms import StyledFormMixin
from core.locking import VersionedFormMixin
from core.money import WanField

from .models import ExpertProfile, ReviewConfig


def reason_field(label=None, required=True, help_text=""):
    label = label or _("Reason")
    return forms.CharField(label=label, required=required, max_length=2000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DeclarationForm(StyledFormMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("no", _("I have no conflict of interest with this applicant")),
                 ("yes", _("I have a conflict of interest and withdraw from this application"))])
    reason = reason_field(_("Describe the conflict"), required=False,
                          help_text=_("Required when you declare a conflict, e.g. employment, consulting, kinship."))

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Describe the conflict of interest."))
        return data


class ScoreForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """One field per criterion (crit_<id>), the comment and the hidden version of the score the expert loaded
    (0 before the first save); the running total is shown by reviews.js."""

    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria, threshold, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.threshold = threshold
        for criterion in self.criteria:
            self.fields[f"crit_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name, min_value=0, max_value=criterion.max_points, decimal_places=1, max_digits=5,
                help_text=criterion.guidance, required=False,  # a draft may be partial; the service checks submit
                widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": f"{criterion.max_points}",
                                                "class": "js-score-input", "inputmode": "decimal"}))
        self.fields["comment"].help_text = _("Required when the total is below %(n)s points.") % {"n": threshold}
        self.fields["comment"].widget.attrs["data-threshold"] = f"{threshold}"

    def criterion_fields(self):
        return [(criterion, self[f"crit_{criterion.pk}"]) for criterion in self.criteria]

    def points(self):
        return {c.pk: self.cleaned_data.get(f"crit_{c.pk}") for c in self.criteria}


class ReasonForm(StyledFormMixin, forms.Form):
    reason = reason_field()


class VersionForm(VersionedFormMixin, forms.Form):
    """Only the version the user loaded: sent with the action buttons of a record two staff can act on."""


class VersionedReasonForm(VersionedFormMixin, ReasonForm):
    pass


class ExpertForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["name", "title", "specialties", "employer_name", "employer_credit_code", "county", "contact_phone",
                  "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.all()

    def clean_employer_credit_code(self):
        return validate_credit_code(self.cleaned_data["employer_credit_code"])

    def clean_contact_phone(self):
        return validate_phone(self.cleaned_data.get("contact_phone"))


class ExpertEditForm(VersionedFormMixin, ExpertForm):
    pass


class ExpertCreateForm(ExpertForm):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("The expert logs in with this name and sets a password through "
                                           "\"Forgot password\"."))
    email = forms.EmailField(label=_("E-mail"), help_text=_("The password link is sent here."))

    class Meta(ExpertForm.Meta):
        fields = ["username", "email", *ExpertForm.Meta.fields]


class ReviewConfigForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReviewConfig
        fields = ["experts_per_application", "aggregation_method", "outlier_distance", "comment_required_below",
                  "publicity_working_days"]


class PanelForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Panel name"), max_length=100, required=False)
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=ExpertProfile.objects.none(),
                                             widget=forms.CheckboxSelectMultiple, required=False)
    chair = forms.ModelChoiceField(label=_("Panel chair"), queryset=ExpertProfile.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        experts = ExpertProfile.objects.filter(is_active=True).select_related("county").order_by("name")
        self.fields["members"].queryset = experts
        self.fields["chair"].queryset = experts


class PanelEditForm(VersionedFormMixin, PanelForm):
    pass


class CriterionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=100)
    max_points = forms.DecimalField(label=_("Maximum points"), min_value=1, max_value=100, decimal_places=1)
    guidance = forms.CharField(label=_("Guidance"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)


class CriterionEditForm(VersionedFormMixin, CriterionForm):
    pass


class HandAssignForm(StyledFormMixin, forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)

    def __init__(self, *args, applications, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: f"{a.receipt_no} {a.enterprise.name}"
        self.fields["expert"].queryset = experts


class ScaleForm(StyledFormMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Scope"), queryset=None, required=False,
                                      empty_label=_("The whole call"))
    budget = WanField(label=_("Budget (10,000 yuan)"),  # cleaned to yuan
                      help_text=_("The open proposals are scaled down pro rata when they exceed it."))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class AdjustForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    amount = WanField(label=_("Adjusted award (10,000 yuan)"), required=False,  # cleaned to yuan
                      help_text=_("Leave empty to remove the adjustment."))
    reason = reason_field(_("Reason for the adjustment"))


class AdjustDecisionForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """Confirm or refuse an adjustment proposed by a colleague (a refusal needs its reason)."""

    reason = forms.CharField(label=_("Reason for refusing"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AuditAssignForm(StyledFormMixin, forms.Form):
    firm = forms.ModelChoiceField(label=_("Audit firm"), queryset=None, empty_label=_("Choose an audit firm"))
    applications = forms.ModelMultipleChoiceField(label=_("Applications"), queryset=None,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, firms, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms
        self.fields["applications"].queryset = applications


class AuditForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """The audited figures are typed in 万元 like the application form and the figures beside them, and cleaned
    to exact yuan (6 decimals of 万元 = the fen) by core.money's WanField, which also keeps them within the
    model's 12 yuan digits."""

    audited_investment = WanField(
        label=_("Audited investment (10,000 yuan)"), required=False,
        help_text=_("The audited figure of the investment the award rule is based on, in 10,000 yuan "
                    "(e.g. 1,850.5 for 18,505,000 yuan)."))
    audited_amount = WanField(
        label=_("Audited amount (10,000 yuan)"), required=False,
        help_text=_("The award amount you confirm (the audited amount), in 10,000 yuan."))
    opinion = forms.CharField(label=_("Audit opinion"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    report = forms.FileField(label=_("Audit report (PDF, at most 20 MB)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))


class PublicityForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    notice = forms.CharField(label=_("Notice text"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Shown above the list and printed in the notice PDF."))


class ObjectionForm(StyledFormMixin, forms.Form):
    entry = forms.ModelChoiceField(label=_("Concerning"), queryset=None, required=False,
                                   empty_label=_("The list as a whole"))
    name = forms.CharField(label=_("Real name"), max_length=50)
    contact = forms.CharField(label=_("Contact (phone or e-mail)"), max_length=100)
    text = forms.CharField(label=_("Objection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("State the facts and, where possible, the evidence."))
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda e: f"{e.number}. {e.enterprise_name} — {e.project_name}"

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


class ObjectionHandleForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("rejected", _("Rejected: the entry stays on the list")),
                                          ("upheld", _("Upheld: the application is taken off the list"))])
    entry = forms.ModelChoiceField(label=_("Entry concerned"), queryset=None, required=False,
                                   empty_label=_("The list as a whole"))
    note = reason_field(_("How it was handled"), help_text=_("What was checked and the conclusion; kept on record."))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda e: f"{e.number}. {e.enterprise_name}"


class SupportListForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
