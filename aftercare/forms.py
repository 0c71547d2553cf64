from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.locking import VersionedFormMixin
from core.money import YuanField

from .workflow import Action, Recommendation, Status


class ReportForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    actual_investment = YuanField(label=_("Actual investment (yuan)"))
    invoice_amount = YuanField(label=_("Invoice total (yuan)"))
    equipment_list = forms.CharField(label=_("Equipment list"), max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=_("One item a line: name, model, quantity, amount."))


class InspectionForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    visit_date = forms.DateField(label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}))
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    findings = forms.CharField(label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    recommendation = forms.ChoiceField(label=_("County recommendation"), choices=Recommendation.choices,
                                       widget=forms.RadioSelect)


class DecisionForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (Action.ACCEPT, _("Accept the project")), (Action.RECTIFY, _("Order a rectification")),
        (Action.CLAWBACK, _("Open a clawback"))])
    rectify_by = forms.DateField(label=_("Rectification deadline"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Required for a rectification or a clawback."))


class ListFilterForm(forms.Form):
    """The list's filters (read for the export's subtitle)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "")] + list(Status.choices))


class ClawbackForm(StyledFormMixin, forms.Form):
    amount = YuanField(label=_("Amount to recover (yuan)"))
    refund_due = forms.DateField(label=_("Refund deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300,
                                  help_text=_("The rule or the agreement clause the recovery rests on."))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ClawbackConfirmForm(VersionedFormMixin, forms.Form):
    pass


class ClawbackWithdrawForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Reason for withdrawing"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Give the reason for this decision.")})


class RefundForm(StyledFormMixin, forms.Form):
    amount = YuanField(label=_("Amount received (yuan)"))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=64)
