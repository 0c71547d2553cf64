"""The filter bar of a list, rendered in Python.

The lists are the busiest pages of the platform. Rendering their few filter fields through crispy-forms'
templates (label, control, help, errors: a dozen template files per field) cost more than the page's SQL, so
the bar's label and control of each field are built here in one pass, every text escaped. Use it in a template
with ``{% load filter_bar %}{% filter_bar form "col-6 col-md-2" %}`` (the classes of each field's column) or,
in a view, ``filter_bar_html(form, cols=…, wide={"q": …})``; the ``<form>`` tag and its buttons stay in the
template.

The markup is what the lists showed before: a small label above the control, ``form-select-sm`` /
``form-control-sm`` controls (a widget's own ``class`` wins), a checkbox beside its label, the help text under
the control and, on a field with errors, ``is-invalid`` with the messages (``aria-describedby`` links both).
"""

import html

from django.forms import CheckboxInput, Select
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

COLS = "col-6 col-md-3 col-xl-2"
MAX_BARS = 256
_BARS = {}  # (key, language) -> HTML


def widget_html(bound, described_by=""):
    """A filter field's control (select, checkbox or input) without the per-option widget templates; a select
    whose widget renders its options itself (``core.forms.ManyOptionsSelect``) is rendered by it."""
    esc = html.escape
    widget = bound.field.widget
    name, ident = esc(bound.html_name), esc(bound.auto_id)
    invalid = " is-invalid" if bound.errors else ""
    css = (widget.attrs.get("class") or ("form-select form-select-sm" if isinstance(widget, Select)
                                         else "form-control form-control-sm")) + invalid
    aria = f' aria-describedby="{esc(described_by)}"' if described_by else ""
    aria += ' aria-invalid="true"' if bound.errors else ""
    value = bound.value()
    if isinstance(widget, CheckboxInput):
        checked = " checked" if value else ""
        return mark_safe(f'<input type="checkbox" class="form-check-input" name="{name}" id="{ident}"{checked}{aria}>')  # noqa: S308
    if isinstance(widget, Select):
        if type(widget).render is not Select.render:  # a widget that renders (and caches) its own options
            attrs = {"id": bound.auto_id, "class": css}
            if described_by:
                attrs["aria-describedby"] = described_by
            return widget.render(bound.html_name, value, attrs=attrs)
        current = "" if value is None else str(value)
        options = "".join(
            f'<option value="{esc(str(key))}"{" selected" if str(key) == current else ""}>{esc(str(label))}</option>'
            for key, label in bound.field.choices)
        return mark_safe(f'<select name="{name}" id="{ident}" class="{esc(css)}"{aria}>{options}</select>')  # noqa: S308
    kind = esc(str(widget.attrs.get("type") or getattr(widget, "input_type", "text")))
    extra = "".join(f' {esc(str(k))}="{esc(str(v))}"' for k, v in widget.attrs.items() if k not in ("class", "type"))
    text = "" if value is None else esc(str(value))
    return mark_safe(f'<input type="{kind}" name="{name}" id="{ident}" class="{esc(css)}" value="{text}"'  # noqa: S308
                     f"{extra}{aria}>")


def field_html(bound, cols):
    """One field of the bar in its column: label and control (a checkbox beside its label), help, errors."""
    esc = html.escape
    ident = esc(bound.auto_id)
    notes, described = [], []
    if bound.help_text:
        notes.append(f'<div class="form-text small" id="{ident}_help">{esc(str(bound.help_text))}</div>')
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        messages = " ".join(esc(str(e)) for e in bound.errors)
        notes.append(f'<div class="invalid-feedback d-block" id="{ident}_error">{messages}</div>')
        described.append(f"{bound.auto_id}_error")
    control = widget_html(bound, " ".join(described))
    label = esc(str(bound.label))
    if isinstance(bound.field.widget, CheckboxInput):
        body = (f'<div class="form-check">{control}<label class="form-check-label small" for="{ident}">{label}'
                f"</label></div>")
    else:
        body = f'<label class="form-label small mb-0" for="{ident}">{label}</label>{control}'
    return f'<div class="{esc(cols)}">{body}{"".join(notes)}</div>'


def bar_once(key, build):
    """``build()``'s HTML, built once per ``key`` and language and then kept (per process): the bar of a list
    without a filter is the same on every request with that key. ``key`` names the form and whatever its fields
    and choices depend on (a role's permissions, the menus' version)."""
    full = (key, get_language())
    found = _BARS.get(full)
    if found is None:
        if len(_BARS) >= MAX_BARS:
            _BARS.clear()
        found = _BARS[full] = build()
    return found


def filter_bar_html(form, *, cols=COLS, wide=None, fields=None):
    """The bar's fields, each in a column of classes ``cols`` (``wide``: {field name: classes} for the fields
    that need more room, e.g. the search box); ``fields``: only the fields these names pick. The bar of an unbound
    form whose class says its fields are the same for everyone (``same_for_everyone = True``: fixed choices, or
    choices that depend on the language only) is built once per language (``bar_once``)."""
    wide = wide or {}

    def build():
        return mark_safe("".join(field_html(bound, wide.get(bound.name, cols)) for bound in form  # noqa: S308 - escaped above
                                 if fields is None or fields(bound.name)))

    if not form.is_bound and fields is None and getattr(form, "same_for_everyone", False):
        return bar_once((type(form), cols, tuple(sorted(wide.items()))), build)
    return build()


__all__ = ["COLS", "bar_once", "field_html", "filter_bar_html", "widget_html"]
