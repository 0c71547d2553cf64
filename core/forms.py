from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's empty choice of model selects (django.db.models.fields.BLANK_CHOICE_LABEL) has no Chinese in
# Django's own catalogue; naming it here puts it into ours, which takes precedence.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


class AuditLogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search: object, actor or action"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, help_text=_("Name or organisation"))
    object = forms.CharField(label=_("Object"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from .audit_notes import action_choices

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]


class StyledFormMixin:
    """Bootstrap 5 classes on every widget, ``is-invalid`` and ``aria-invalid`` on fields with errors, and the help
    text linked for screen readers (``aria-describedby``): the one styling of the platform's hand-rendered forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
                          | forms.HiddenInput):
                if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                    widget.attrs.setdefault("class", "form-check-input")
                continue
            base = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{base} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-invalid"] = "true"
