"""How an audit row reads: the actor by name and organisation, the action and states by their labels, and the
row's structured ``data`` through the note format registered for its action (``core.audit.register_note_formats``).

Key conventions of ``data`` (see ``core.audit.audit_record``): ``*_yuan`` amounts in 元 (shown in 万元 with the
unit), ``*_user`` user ids (shown as full name and organisation; a list of ids reads as a list of people),
``tech_*`` technical detail (shown to administrators only, with ``technical=True``), ``fields`` or ``*_fields``
a list of field names (of the audited object's model, or qualified "app_label.Model.field") shown by their
verbose names, ``*_rate`` a fraction shown as a percentage. Integers read as numbers,
booleans as yes/no, lists as an enumeration, anything else as it is.

A note format is a lazy text with ``%(key)s`` placeholders, or a tuple of such texts: the first whose placeholders
are all present in the data is used (so an optional fact needs no prose in code), or a function
``(values, data) -> text`` for what a format cannot say (``values`` the formatted data, ``data`` the raw).
Rows written before their action had a format (English notes) are shown as they were written: history is never
rewritten.

``annotate(entries)`` prepares a page of rows with one query for all the people they name (actors and
``*_user`` values), whatever the number of rows.
"""

import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import sqlcache
from .audit import NOTE_FORMATS
from .models import status_choices
from .money import format_percent, format_wan

AMOUNT_SUFFIX = "_yuan"
PERSON_SUFFIX = "_user"
TECH_PREFIX = "tech_"
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _person_ids(value):
    values = value if isinstance(value, list | tuple) else [value]
    ids = set()
    for item in values:
        try:
            ids.add(int(item))
        except (TypeError, ValueError):
            continue
    return ids


def _user_object_id(entry):
    """The id of the person a row is about (a login, a password change), or None when its object is no user
    (found once per row: people_for and annotate both ask)."""
    known = entry.__dict__.get("_person_id", _UNKNOWN)
    if known is _UNKNOWN:
        known = entry._person_id = _person_of(entry)
    return known


_UNKNOWN = object()


def _person_of(entry):
    if not entry.content_type_id or not entry.object_id or entry.audited_model() is not get_user_model():
        return None
    try:
        return int(entry.object_id)
    except ValueError:
        return None


# what a person's label shows (person_label): name, role, organisation or county
PERSON_FIELDS = ("first_name", "last_name", "username", "role", "organisation__name", "county__name")


def people_for(entries):
    """{user id: user} for every actor, every ``*_user`` value and every person a row is about, in one query (none
    when the rows came with their actors, ``select_related("actor__organisation", "actor__county")``, and name
    nobody else)."""
    ids, known = set(), {}
    for entry in entries:
        actor = entry._state.fields_cache.get("actor") if entry.actor_id else None
        if actor is not None and {"organisation", "county"} <= set(actor._state.fields_cache):
            known[entry.actor_id] = actor
        elif entry.actor_id:
            ids.add(entry.actor_id)
        person = _user_object_id(entry)
        if person is not None:
            ids.add(person)
        for key, value in (entry.data or {}).items():
            if key.endswith(PERSON_SUFFIX):
                ids |= _person_ids(value)
    ids -= set(known)
    if not ids:
        return known
    return {**known, **_people(ids)}


def _people(ids):
    """{id: user} of ``ids`` with what ``person_label`` shows. On PostgreSQL one hand-written statement prepared
    once per connection, the ids as one array (core.sqlcache.raw_rows): building and compiling the ORM's join for
    the few people of a page cost more than running it. Elsewhere the same through the ORM."""
    user_model = get_user_model()
    if connection.vendor != "postgresql":
        users = user_model.objects.filter(pk__in=ids).select_related("organisation", "county").only(*PERSON_FIELDS)
        return {user.pk: user for user in users}
    meta, quote = user_model._meta, connection.ops.quote_name
    organisation, county = meta.get_field("organisation"), meta.get_field("county")
    columns = ", ".join(f"u.{quote(meta.get_field(name).column)}"
                        for name in ("id", "first_name", "last_name", "username", "role"))
    sql = (f"SELECT {columns}, u.{quote(organisation.column)}, o.{quote('name')}, u.{quote(county.column)}, "  # noqa: S608 - the models' own names
           f"c.{quote('name')} FROM {quote(meta.db_table)} u "
           f"LEFT JOIN {quote(organisation.related_model._meta.db_table)} o ON o.id = u.{quote(organisation.column)} "
           f"LEFT JOIN {quote(county.related_model._meta.db_table)} c ON c.id = u.{quote(county.column)} "
           f"WHERE u.id = ANY(%s)")
    people = {}
    for pk, first, last, username, role, org_id, org_name, county_id, county_name in sqlcache.raw_rows(
            "audit_people", sql, [sorted(ids)]):
        user = user_model(id=pk, first_name=first, last_name=last, username=username, role=role,
                          organisation_id=org_id, county_id=county_id)
        user.organisation = organisation.related_model(id=org_id, name=org_name) if org_id else None
        user.county = county.related_model(id=county_id, name=county_name) if county_id else None
        user._state.adding, user._state.db = False, connection.alias
        people[pk] = user
    return people


def organisation_of(user):
    """The organisation a person acts for: their organisation (enterprise, bureau, firm) or their county."""
    if user.organisation_id and user.organisation is not None:
        return user.organisation.name
    if user.county_id and user.county is not None:
        return user.county.name
    return ""


def person_label(user):
    """Full name and organisation, never the username ("张三（中原区工信局）"); a person without a recorded name is
    named by role."""
    if user is None:
        return ""
    name = user.get_full_name() or str(user.get_role_display())
    organisation = organisation_of(user)
    return _("%(name)s (%(organisation)s)") % {"name": name, "organisation": organisation} if organisation else name


def field_label(model, name):
    """The verbose name of ``name``: a field of ``model`` or a qualified "app_label.Model.field"."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    if name.count(".") == 2:
        app_label, model_name, name = name.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return name
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _join(items):
    return _(", ").join(str(item) for item in items)


def format_value(key, value, people=None, model=None):
    """One ``data`` value as the reader sees it, by the convention of its key (``model``: the audited object's)."""
    people = people if people is not None else {}
    if value is None or value == "":
        return "—"
    if key == "fields" or key.endswith("_fields"):
        names = value if isinstance(value, list | tuple) else [value]
        return _join(field_label(model, str(name)) for name in names)
    if key.endswith(AMOUNT_SUFFIX):
        try:
            return format_wan(Decimal(str(value)), unit=True)
        except (InvalidOperation, ValueError, TypeError):
            return str(value)
    if key.endswith("_rate"):
        return format_percent(value)
    if key.endswith(PERSON_SUFFIX):
        ids = value if isinstance(value, list | tuple) else [value]
        names = []
        for item in ids:
            try:
                names.append(person_label(people.get(int(item))) or "—")
            except (TypeError, ValueError):
                names.append("—")
        return _join(names)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return _join(format_value(key, item, people) for item in value)
    return str(value)


def _choose(fmt, data):
    formats = fmt if isinstance(fmt, list | tuple) else (fmt,)
    for candidate in formats:
        text = str(candidate)
        if all(key in data for key in PLACEHOLDER.findall(text)):
            return text
    return None


def choice_format(key, texts):
    """A note format that reads by the code stored under ``key``: ``texts`` maps each code to a lazy text (with
    ``%(key)s`` placeholders filled from the row's data); an unknown code reads as nothing."""

    def render(values, data):
        text = texts.get(data.get(key))
        if text is None:
            return ""
        try:
            return str(text) % values
        except (KeyError, ValueError, TypeError):
            return ""

    return render


def technical_detail(entry):
    """The ``tech_*`` facts of a row as "key: value" texts (administrators only)."""
    return [f"{key[len(TECH_PREFIX):]}: {value}" for key, value in sorted((entry.data or {}).items())
            if key.startswith(TECH_PREFIX)]


def render_note(entry, *, technical=False, people=None):
    """The row's note in the active language: its data through the action's registered format, then what a person
    typed (the ``note``), then (``technical=True``) the technical detail. ``people`` is the lookup from
    ``people_for``; without it the people are fetched for this row alone."""
    data = entry.data or {}
    if people is None:
        people = people_for([entry])
    parts = []
    fmt = NOTE_FORMATS.get(entry.action)
    if fmt is not None and data:
        model = entry.audited_model()
        values = {key: format_value(key, value, people, model) for key, value in data.items()
                  if not key.startswith(TECH_PREFIX)}
        if callable(fmt):
            text = fmt(values, data)
            if text:
                parts.append(str(text))
        else:
            text = _choose(fmt, data)
            try:
                if text is not None:
                    parts.append(text % values)
            except (KeyError, ValueError, TypeError):
                pass
    if entry.note:
        parts.append(entry.note)
    if technical:
        parts.extend(technical_detail(entry))
    return _("; ").join(parts)


def _state(entry, value):
    """The label of a recorded state; "" for a value that is no state of the audited model (older rows kept
    amounts and grades there: the administrators see those in the technical detail)."""
    return status_choices(entry.audited_model()).get(value, "") if value else ""


def translated_once():
    """``text(label)``: ``str(label)`` of a lazy label, translated once however many rows show it (a page of
    fifty rows repeats the same few action and state labels)."""
    memo = {}

    def text(label):
        found = memo.get(id(label))
        if found is None:
            found = memo[id(label)] = (label, str(label))  # the label kept: its id is not reused meanwhile
        return found[1]

    return text


def state_change(entry, text=str):
    """The state change as labels: "from → to", one state when only one is known or both are the same, nothing
    when the state is what the action's own label already says (``text``: how a label becomes text)."""
    source, target = _state(entry, entry.from_state), _state(entry, entry.to_state)
    source, target = text(source) if source else "", text(target) if target else ""
    if source and target and source != target:
        return f"{source} → {target}"
    shown = target or source
    return "" if shown == text(entry.action_label) else shown


def annotate(entries, *, technical=False):
    """Prepare rows for display (returns them as a list): ``actor_label``, ``object_label`` (a person by name and
    organisation, never the username), ``action_text``, ``state_text``, ``note_text`` and, for administrators
    (``technical=True``), ``tech_text``. One query for the people of all the rows; each person's label and each
    action and state label made once."""
    entries = list(entries)
    people = people_for(entries)
    names = {pk: person_label(user) for pk, user in people.items()}
    text = translated_once()
    for entry in entries:
        entry.actor_label = names.get(entry.actor_id, "") if entry.actor_id else ""
        person = _user_object_id(entry)
        entry.object_label = (names.get(person) or "—") if person is not None else entry.object_repr
        entry.action_text = text(entry.action_label)
        entry.state_text = state_change(entry, text)
        entry.note_text = render_note(entry, people=people)
        entry.tech_text = _("; ").join(technical_detail(entry)) if technical else ""
    return entries


def action_group(code):
    """The label of the stage an action code belongs to (core.action_labels.ACTION_GROUPS); "" when none."""
    from .action_labels import ACTION_GROUPS

    prefix = code.split(".", 1)[0]
    for label, members in ACTION_GROUPS:
        if code in members:
            return label
    for label, members in ACTION_GROUPS:
        if prefix in members:
            return label
    return ""


_CHOICES: dict = {}  # (language, labels registered) -> the filter's choices: the same on every page of the log


def action_choices():
    """The audit log filter's choices: every labelled action, grouped by stage (labels in the reader's language),
    built once per language."""
    from .audit import ACTION_LABELS

    key = (get_language(), len(ACTION_LABELS))
    if key not in _CHOICES:
        _CHOICES[key] = _action_choices(ACTION_LABELS)
    return _CHOICES[key]


def _action_choices(ACTION_LABELS):  # noqa: N803 - the registry's own name
    from .action_labels import ACTION_GROUPS

    groups = {str(label): [] for label, _members in ACTION_GROUPS}
    other = []
    for code, label in ACTION_LABELS.items():
        group = action_group(code)
        (groups[str(group)] if group else other).append((code, str(label)))
    choices = [(label, options) for label, options in groups.items() if options]
    if other:
        choices.append((_("Other"), other))
    return choices
