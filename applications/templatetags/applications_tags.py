"""The status badge (one colour per status everywhere), the cycle stepper and small helpers (money: core's
``money`` library)."""

import html

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from core.web import pk_url

from ..workflow import BADGE_CLASS, Status, stepper

register = template.Library()
STATUS_LABELS = dict(Status.choices)
_BADGES = {}  # language -> {status: the badge's HTML}


def status_badges():
    """{status: its badge's HTML} in the active language, built once per language: the badge of ``status_badge``,
    of the list's rows and of an application page's other applications."""
    language = get_language()
    badges = _BADGES.get(language)
    if badges is None:
        badges = _BADGES[language] = {key: format_html('<span class="badge badge-status {}">{}</span>',
                                                       BADGE_CLASS.get(key, ""), label)
                                      for key, label in STATUS_LABELS.items()}
    return badges


@register.filter
def application_items(applications):
    """``<li>`` of each application: its receipt number and project linked to its page, and its status badge (the
    possible duplicates of an application page; built here with f-strings, every value escaped, not per item
    through the template engine or ``format_html``)."""
    detail, esc = pk_url("applications:detail"), html.escape
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'<li><a href="{detail(a.pk)}">{esc(str(a.receipt_no or "—"))} {esc(str(a.project_name))}</a> '
        f"{status_badge(a.status)}</li>" for a in applications))


@register.filter
def shared_file_items(files):
    """``<li>`` of each identical file of another enterprise (``selectors.SharedFile``): the material, the
    enterprise and the receipt number, linked when the reader may open that application; every value escaped."""
    detail, esc = pk_url("applications:detail"), html.escape

    def receipt(f):
        number = esc(str(f.receipt_no or ""))
        return f'<a href="{detail(f.application_id)}">{number}</a>' if f.visible else number

    return mark_safe("".join(  # noqa: S308 - every value escaped
        f"<li>{esc(f.material_name)}：{esc(f.enterprise_name)} {receipt(f)}</li>" for f in files))


@register.simple_tag
def material_items(application, slots):
    """``<li>`` of each material of an application page: its name (and whether it is optional), then its current
    file (linked, with type, size and upload time, and its SHA-256) or "not uploaded". Built here with f-strings,
    every value escaped, not per material through the template engine."""
    esc = html.escape
    download = pk_url("applications:download", application.pk)
    # gettext calls stay outside the f-strings: xgettext does not look inside them (tests/core/test_i18n_gaps.py)
    optional_text, missing_text = esc(gettext("optional")), esc(gettext("not uploaded"))
    optional = f' <span class="text-body-secondary">（{optional_text}）</span>'
    missing = f'<span class="text-body-secondary">{missing_text}</span>'
    meta = gettext("(%(a)s, %(b)s, %(c)s)")
    items = []
    for material, attachment in slots:
        head = f'<div class="fw-semibold">{esc(str(material.name))}{"" if material.required else optional}</div>'
        if attachment:
            when = f"{localtime(attachment.uploaded_at):%Y-%m-%d %H:%M}" if attachment.uploaded_at else ""
            details = meta % {"a": str(attachment.file_type).upper(), "b": filesize(attachment.size), "c": when}
            body = (f'<a href="{download(attachment.pk)}">{esc(str(attachment.original_name))}</a> '
                    f'<span class="text-body-secondary">{esc(details)}</span>'
                    f'<div class="sha text-body-secondary">SHA-256 {esc(str(attachment.sha256))}</div>')
        else:
            body = missing
        items.append(f'<li class="list-group-item px-0">{head}{body}</li>')
    return mark_safe("".join(items))  # noqa: S308 - every value escaped


@register.filter
def badge_class(status):
    return BADGE_CLASS.get(str(status), "st-draft")


@register.simple_tag
def status_badge(status):
    return status_badges().get(str(status)) or format_html('<span class="badge badge-status ">{}</span>', status)


_STEPPERS = {}  # (language, status) -> the stepper's HTML


@register.simple_tag
def cycle_stepper(status):
    """Where an application stands in the cycle (workflow.stepper): an ordered list of the steps, the current one
    ``aria-current``. A function of the status alone, rendered once per language and status."""
    key = (get_language(), str(status))
    found = _STEPPERS.get(key)
    if found is None:
        found = _STEPPERS[key] = render_to_string("applications/includes/stepper.html",
                                                  {"steps": stepper(status), "status": status})
    return mark_safe(found)  # noqa: S308 - rendered by the template engine, escaped there


@register.filter
def filesize(num):
    """Bytes -> '0.2 KB' / '340.5 KB' / '1.5 MB' / '1.2 GB': the one size format of the applications pages,
    PDFs, messages and the upload script (static/js/applications.js writes the same)."""
    try:
        num = int(num)
    except (TypeError, ValueError):
        return ""
    if num >= 1024 ** 3:
        return f"{num / 1024 ** 3:.1f} GB"
    if num >= 1024 ** 2:
        return f"{num / 1024 ** 2:.1f} MB"
    return f"{max(num / 1024, 0.1):.1f} KB"


@register.simple_tag
def pairs(*items):
    """{% pairs label1 url1 label2 url2 as crumbs %} -> [(label1, url1), (label2, url2)] for the breadcrumbs."""
    return list(zip(items[::2], items[1::2], strict=True))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
