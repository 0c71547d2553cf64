"""What people type on the follow-up report pages (parsing only; the service validates and writes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.locking import VersionedFormMixin
from core.money import WanField, YuanField
from core.web import StrictIntegerField

from .followup_selectors import OVERDUE
from .followup_workflow import FollowupStatus


class TonnesField(YuanField):
    """Tonnes of standard coal (吨标准煤), at most 2 decimals, read by core.money's strict number parser."""


def _revenue():
    return WanField(label=_("Revenue (10,000 yuan)"), required=False)


def _taxes():
    return WanField(label=_("Taxes paid (10,000 yuan)"), required=False)


def _jobs():
    return StrictIntegerField(label=_("Employees"), required=False, min_value=0,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


def _energy():
    return TonnesField(label=_("Energy use (tonnes of standard coal)"), required=False)


def _output():
    return WanField(label=_("Output of the funded line (10,000 yuan)"), required=False)


class FollowupForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """The figures of the year reported (missing ones are refused by the service, in Chinese)."""

    revenue, taxes, jobs, energy, output = _revenue(), _taxes(), _jobs(), _energy(), _output()
    explanation = forms.CharField(
        label=_("Explanation of large changes"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a figure changes by more than half from the previous report (or the base "
                    "year)."))

    def figures(self):
        data = self.cleaned_data
        return {name: data.get(name) for name in self.fields if name not in ("version", "explanation")}


class FirstFollowupForm(FollowupForm):
    """The first report also gives the figures of the base year (the year before the first payment)."""

    base_revenue, base_taxes, base_jobs, base_energy, base_output = (_revenue(), _taxes(), _jobs(), _energy(),
                                                                     _output())


class ReturnForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("What must be corrected"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(VersionedFormMixin, forms.Form):
    pass


TABS = [("", _("All")), *FollowupStatus.choices, (OVERDUE, _("Overdue"))]


class FollowupFilterForm(forms.Form):
    """The list's filters (read for the export's subtitle)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=TABS)
    year = forms.CharField(label=_("Year reported"), required=False)
    fund_year = forms.CharField(label=_("Fund year"), required=False)
