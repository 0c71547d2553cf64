from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# Django 6.1's empty choice of model selects (django.db.models.fields.BLANK_CHOICE_LABEL) has no Chinese in
# Django's own catalogue; naming it here puts it into ours, which takes precedence.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


class ManyOptionsSelect(forms.Select):
    """A select of many fixed options (the audit log's ~200 actions in groups) whose options are rendered once per
    language and set of choices, not through a widget template per option on every page; the markup is Django's
    (``<optgroup label>``, ``<option value>``, the chosen one ``selected``), every text escaped."""

    _options = {}

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value[0] if isinstance(value, list | tuple) and value else value)
        pairs = tuple((str(key), tuple((str(k), str(v)) for k, v in label) if isinstance(label, list | tuple)
                       else str(label)) for key, label in self.choices)
        key = (get_language(), pairs)
        options = self._options.get(key)
        if options is None:
            if len(self._options) > 16:
                self._options.clear()
            options = self._options[key] = "".join(
                format_html('<optgroup label="{}">{}</optgroup>', group, format_html_join(
                    "", '<option value="{}">{}</option>', members)) if isinstance(members, tuple)
                else format_html('<option value="{}">{}</option>', group, members) for group, members in pairs)
        mark = format_html('<option value="{}">', chosen)
        options = options.replace(mark, mark[:-1] + " selected>", 1)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           mark_safe(options))  # noqa: S308 - every text escaped above


def _action_filter_choices():
    """Every labelled action by stage, in the reader's language (read when the form is shown or checked)."""
    from .audit_notes import action_choices

    return [("", gettext("All actions")), *action_choices()]


class AuditLogFilterForm(forms.Form):
    same_for_everyone = True  # its choices depend on the language only: the empty bar is built once (core.filter_bar)

    q = forms.CharField(label=_("Search: object, actor or action"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False, widget=ManyOptionsSelect,
                               choices=_action_filter_choices)
    actor = forms.CharField(label=_("Actor"), required=False, help_text=_("Name or organisation"))
    object = forms.CharField(label=_("Object"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


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
