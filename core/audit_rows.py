"""The audit log's table rows rendered in Python: 50 rows of time, people, labels and notes (and, for
administrators, the technical detail) cost several times the page's SQL through the template engine.
``format_html`` escapes every value; the markup is what the template wrote, the labels are translated once
per page."""

from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

NOTE_CHARS = 300


def _note(entry):
    """The entry's note as a table shows it: cut at NOTE_CHARS characters."""
    note = entry.note_text
    return Truncator(note).chars(NOTE_CHARS) if len(note) > NOTE_CHARS else note


def _technical(entry, text):
    states = ""
    if entry.from_state or entry.to_state:
        states = format_html("<dt>{}</dt><dd><code>{} → {}</code></dd>", text["states"], entry.from_state or "—",
                             entry.to_state or "—")
    data = format_html("<dt>{}</dt><dd>{}</dd>", text["data"], entry.tech_text) if entry.tech_text else ""
    return format_html(
        '\n        <details class="small text-body-secondary mt-1"><summary>{}</summary>'
        '<dl class="mb-0 audit-technical"><dt>{}</dt><dd><code>{}</code></dd><dt>{}</dt><dd>{}</dd>'
        "<dt>{}</dt><dd>{}</dd>{}{}</dl></details>",
        text["detail"], text["code"], entry.action, text["username"], entry.actor_name or "—", text["ip"],
        entry.ip or "—", states, data)


def audit_rows_html(entries, *, technical=False):
    """The <tr> of each annotated entry (core.audit_notes.annotate): time, actor, action, object, status, note
    (cut at 300 characters) and, with ``technical``, the detail an administrator may open."""
    text = {"detail": _("Technical detail"), "code": _("Action code"), "username": _("Username"),
            "ip": _("Client IP"), "states": _("Recorded states"), "data": _("Data")} if technical else {}
    rows = []
    for entry in entries:
        rows.append((timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                     entry.actor_label or "—", entry.action_text, entry.object_label, entry.state_text, _note(entry),
                     _technical(entry, text) if technical else ""))
    return format_html_join("\n", '<tr><td class="text-nowrap">{}</td><td>{}</td><td>{}</td>'
                                  '<td class="audit-object">{}</td><td>{}</td><td>{}{}</td></tr>', rows)


def history_rows_html(entries):
    """The <tr> of an object's history table (an application page) from annotated entries: time, actor, action,
    status, note (cut at 300 characters) and the technical detail an administrator may open. f-strings with every
    value escaped (``conditional_escape``, as the template engine does): a page's history costs a string a row."""
    esc = conditional_escape
    detail = esc(_("Technical detail"))
    rows = []
    for entry in entries:
        when = f"{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M}"
        tech = (f'<details class="text-body-secondary"><summary>{detail}</summary>{esc(entry.tech_text)}</details>'
                if entry.tech_text else "")
        rows.append(f'<tr><td class="text-nowrap">{when}</td><td>{esc(entry.actor_label or "—")}</td>'
                    f'<td class="text-nowrap">{esc(entry.action_text)}</td><td>{esc(entry.state_text)}</td>'
                    f"<td>{esc(_note(entry))}{tech}</td></tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped
