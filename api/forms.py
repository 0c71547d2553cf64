import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import County
from core.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    system_name = forms.CharField(label=_("External system"), max_length=100,
                                  help_text=_("e.g. 市财政局国库集中支付系统"))
    county = forms.ModelChoiceField(label=_("Scope"), queryset=County.objects.order_by("sort_order", "id"),
                                    required=False, empty_label=_("Whole city"))
    can_push_statistics = forms.BooleanField(label=_("May send statistics figures (whole-city tokens only)"),
                                             required=False)
    can_push_registry = forms.BooleanField(label=_("May send the enterprise registry (whole-city tokens only)"),
                                           required=False)
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if value > today + datetime.timedelta(days=731):
            raise forms.ValidationError(_("A token is valid for at most two years."))
        return value

    def expires_at(self):
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
