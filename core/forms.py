from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's empty choice of model selects (django.db.models.fields.BLANK_CHOICE_LABEL) has no Chinese in
# Django's own catalogue; naming it here puts it into ours, which takes precedence.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


class AuditLogFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    object = forms.CharField(label=_("Object"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
