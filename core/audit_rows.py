"""The audit log's table rows rendered in Python: 50 rows of time, people, labels and notes (and, for
administrators, the technical detail) cost several times the page's SQL through the template engine.
Every value is escaped as the template engine escapes it; the markup is what the template wrote, the labels are
translated once per page."""

from html import escape

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

NOTE_CHARS = 300


def _note(entry):
    """The entry's note as a table shows it: cut at NOTE_CHARS characters."""
    note = entry.note_text
    return Truncator(note).chars(NOTE_CHARS) if len(note) > NOTE_CHARS else note


def _esc(value):
    """``conditional_escape`` without its lazy-string wrapper (a page escapes some 350 values): a value that is
    already HTML (``__html__``) as it is, any other escaped as text, quotes included."""
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(str(value))


def _technical(entry, text):
    esc = _esc
    states = ""
    if entry.from_state or entry.to_state:
        states = (f'<dt>{text["states"]}</dt><dd><code>{esc(entry.from_state or "—")} → '
                  f'{esc(entry.to_state or "—")}</code></dd>')
    data = f'<dt>{text["data"]}</dt><dd>{esc(entry.tech_text)}</dd>' if entry.tech_text else ""
    return (f'\n        <details class="small text-body-secondary mt-1"><summary>{text["detail"]}</summary>'
            f'<dl class="mb-0 audit-technical"><dt>{text["code"]}</dt><dd><code>{esc(entry.action)}</code></dd>'
            f'<dt>{text["username"]}</dt><dd>{esc(entry.actor_name or "—")}</dd><dt>{text["ip"]}</dt>'
            f'<dd>{esc(entry.ip or "—")}</dd>{states}{data}</dl></details>')


def audit_rows_html(entries, *, technical=False):
    """The <tr> of each annotated entry (core.audit_notes.annotate): time, actor, action, object, status, note
    (cut at 300 characters) and, with ``technical``, the detail an administrator may open. f-strings with every
    value escaped (``_esc``); the markup is what the template wrote."""
    esc = _esc
    text = {key: esc(label) for key, label in {
        "detail": _("Technical detail"), "code": _("Action code"), "username": _("Username"), "ip": _("Client IP"),
        "states": _("Recorded states"), "data": _("Data")}.items()} if technical else {}
    rows = []
    for entry in entries:
        when = f"{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M:%S}"
        rows.append(f'<tr><td class="text-nowrap">{when}</td><td>{esc(entry.actor_label or "—")}</td>'
                    f'<td>{esc(entry.action_text)}</td><td class="audit-object">{esc(entry.object_label)}</td>'
                    f'<td>{esc(entry.state_text)}</td><td>{esc(_note(entry))}'
                    f'{_technical(entry, text) if technical else ""}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped


def history_rows_html(entries):
    """The <tr> of an object's history table (an application page) from annotated entries: time, actor, action,
    status, note (cut at 300 characters) and the technical detail an administrator may open. f-strings with every
    value escaped (``_esc``, as the template engine does): a page's history costs a string a row."""
    esc = _esc
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
