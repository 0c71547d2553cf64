"""Forms of the disbursements pages. Money is typed in yuan and parsed strictly by core.money's YuanField."""

import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Organisation
from accounts.roles import OrganisationKind
from core.locking import VersionedFormMixin as _VersionedFormMixin
from core.money import YuanField

from .models import AcceptanceResult, BudgetEntry, PaymentBatch, PaymentRule
from .workflow import BatchStatus, FailureReason, PaymentStatus

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, 2019, -1)]


class VersionedFormMixin(_VersionedFormMixin):
    """core.locking's hidden version field; a missing or bad version shows at the top of the form (a hidden
    field's own errors would not be shown)."""

    def _post_clean(self):
        super()._post_clean()
        errors = self._errors.pop("version", None)
        if errors:
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield")).extend(errors)


class IdempotentForm(forms.Form):
    """Carries a fresh key per rendered form: a resubmission of the same form returns the first result."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4()


class BatchActionForm(VersionedFormMixin, IdempotentForm):
    """Every batch action carries the batch's version: an approval always concerns the batch as shown."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PrepareTrancheForm(forms.Form):
    amount = YuanField(label=_("Amount (yuan)"), allow_zero=False,
                       help_text=_("At most 2 decimals; the remainder is shown above."))
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False,
                              help_text=_("Shown on the bank file; empty: the commitment's purpose."))


class CancelForm(VersionedFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=500)


class ReconciliationForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=_("Batch"), required=False, empty_label=_("— the batch named by the file's references —"),
        queryset=PaymentBatch.objects.filter(status__in=[BatchStatus.SENT, BatchStatus.RECONCILED]).order_by("-id"),
        help_text=_("A return file belongs to one batch: rows of payments in another batch are refused. Choose it "
                    "when the file names payments of several batches."))
    file = forms.FileField(label=_("Bank return file (XLSX)"),
                           help_text=_("The batch's return template filled in by the bank, at most 5 MB."),
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))


class BudgetEntryForm(forms.Form):
    fund_year = forms.TypedChoiceField(label=_("Fund year"), coerce=int, choices=year_choices)
    # returned funds are booked by the refunds of a clawback, not typed in
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        choice for choice in BudgetEntry.Kind.choices if choice[0] != BudgetEntry.Kind.RETURNED])
    amount = YuanField(label=_("Amount (yuan)"), min_value=None, allow_zero=False,
                       help_text=_("Yuan with at most 2 decimals. Only an adjustment may be negative."))
    date = forms.DateField(label=_("Date"), **DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        amount, kind = data.get("amount"), data.get("kind")
        if amount is not None and amount < 0 and kind != BudgetEntry.Kind.ADJUSTMENT:
            self.add_error("amount", _("Only an adjustment may be negative."))
        return data


class PaymentRuleForm(VersionedFormMixin, forms.Form):
    """The rule of the page's year (hidden: the version it carries is that year's rule's; 0 = no rule yet)."""

    fund_year = forms.TypedChoiceField(label=_("Fund year"), coerce=int, choices=year_choices,
                                       widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days after budget approval"), min_value=1, max_value=730,
                              help_text=_("The due date of each payment: this many days after the budget approval."))
    basis = forms.ChoiceField(label=_("Counted in"), choices=PaymentRule.Basis.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ScopedFilterForm(forms.Form):
    """Leaves out the filters the user's scope makes meaningless: an enterprise sees only its own money (no
    county, no statuses of the finance office's workflow), county staff only their own county."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_perm("accounts.see_every_county"):
            self.fields.pop("county", None)
        if user is not None and user.has_perm("disbursements.view_my_funds"):
            self.fields.pop("status", None)


class PaymentFilterForm(ScopedFilterForm):
    year = forms.TypedChoiceField(label=_("Fund year"), coerce=int, required=False,
                                  choices=lambda: [("", _("All years")), *year_choices()])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *PaymentStatus.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("reference, payee, batch, receipt no.")}))


class CommitmentFilterForm(ScopedFilterForm):
    year = forms.TypedChoiceField(label=_("Fund year"), coerce=int, required=False,
                                  choices=lambda: [("", _("All years")), *year_choices()])
    county = forms.ModelChoiceField(label=_("County"), required=False, queryset=County.objects.all(),
                                    empty_label=_("All counties"))
    state = forms.ChoiceField(label=_("Payment"), required=False, choices=[
        ("", _("All")), ("open", _("Not fully paid")), ("paid", _("Fully paid"))])
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("payee, credit code, receipt no., project")}))


class BatchFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *BatchStatus.choices])
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("batch number or note")}))


class ProgrammeForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Empty: “<year> intelligent-manufacturing diagnosis service”."))


class TenderForm(VersionedFormMixin, forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Winning solution provider"), required=False, empty_label=_("— a new provider (fill in below) —"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.SOLUTION_PROVIDER).order_by("name"))
    new_name = forms.CharField(label=_("New provider: name"), max_length=200, required=False)
    new_credit_code = forms.CharField(label=_("New provider: unified social credit code"), max_length=18,
                                      required=False)
    new_bank_name = forms.CharField(label=_("New provider: bank"), max_length=100, required=False)
    new_bank_account_no = forms.CharField(label=_("New provider: account number"), max_length=40, required=False)
    tender_date = forms.DateField(label=_("Tender date"), **DATE)
    contract_amount = YuanField(label=_("Contract amount (yuan)"), allow_zero=False)
    notice_no = forms.CharField(label=_("Tender notice number"), max_length=60, required=False)
    contract_no = forms.CharField(label=_("Contract number"), max_length=60, required=False)
    signed_on = forms.DateField(label=_("Contract signed on"), required=False, **DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not data.get("provider"):
            for name in ("new_name", "new_credit_code", "new_bank_name", "new_bank_account_no"):
                if not data.get(name):
                    self.add_error(name, _("Choose a provider above or fill in the new provider."))
        return data


class TargetForm(forms.Form):
    credit_code = forms.CharField(label=_("Enterprise's unified social credit code"), max_length=18)
    selected_on = forms.DateField(label=_("Selected on"), required=False, **DATE)

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, credit_code=code).first()
        if enterprise is None:
            raise ValidationError(_("No registered enterprise has this credit code."))
        self.enterprise = enterprise
        return code


class ReportForm(VersionedFormMixin, forms.Form):
    file = forms.FileField(label=_("Diagnosis report (PDF or DOCX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))
    received_on = forms.DateField(label=_("Received on"), required=False, **DATE)


class CompleteForm(VersionedFormMixin, forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), required=False, **DATE)


class AcceptanceForm(VersionedFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("Acceptance result"), choices=AcceptanceResult.choices,
                               widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Acceptance notes"), widget=forms.Textarea(attrs={"rows": 3}))
    accepted_on = forms.DateField(label=_("Acceptance date"), required=False, **DATE)


class FailureForm(VersionedFormMixin, forms.Form):
    """Finance enters a failure the bank reported outside a return file."""

    code = forms.ChoiceField(label=_("Reason for the failure"), choices=[("", "—"), *FailureReason.choices])
    reason = forms.CharField(label=_("Bank's explanation"), max_length=300, required=False)
    failed_on = forms.DateField(label=_("Failed on"), required=False, help_text=_("Empty: today."), **DATE)
