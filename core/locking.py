"""Optimistic locking for records two staff members can edit at the same time.

A model that can be edited by more than one person carries ``version = PositiveIntegerField``. The edit form
sends back the version the user loaded (``VersionedFormMixin`` adds the hidden field); the service locks the
row, compares (``locked_for_edit``), saves with ``bump_version`` — or raises ``StaleEdit`` and writes nothing.
``core.workflow.transition`` bumps the version on every status change too, so an edit opened before a status
change is refused as well.

    with transaction.atomic():
        locked = locked_for_edit(obj, form.cleaned_data["version"])
        locked.note = form.cleaned_data["note"]
        save_versioned(locked, ["note"])
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .web import StrictIntegerField, parse_int

STALE_MESSAGE = _("This record was changed by someone else after you opened it. Nothing was saved: reload the "
                  "page, then make your changes again.")


class StaleEdit(ValidationError):
    """Somebody changed the record after this form was opened; nothing was saved."""

    def __init__(self, message=None):
        super().__init__(message or STALE_MESSAGE, code="stale")


def check_version(obj, expected_version):
    """Raise StaleEdit when the version the editor loaded is not the record's current one.

    ``None`` means the caller did not take part in locking (a service called from code, not from a form)."""
    if expected_version is None:
        return
    expected = parse_int(str(expected_version))  # ASCII digits only: "１" or "²" is no version
    if expected is None or expected != obj.version:
        raise StaleEdit()


def locked_for_edit(obj, expected_version):
    """The row, locked (SELECT ... FOR UPDATE) for the rest of the caller's transaction, after the version check."""
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    check_version(locked, expected_version)
    return locked


def save_versioned(obj, update_fields):
    """Save the given fields and the bumped version (call inside the transaction of ``locked_for_edit``)."""
    obj.version = (obj.version or 0) + 1
    fields = list(dict.fromkeys([*update_fields, "version"]))
    if hasattr(obj, "updated_at") and "updated_at" not in fields:
        fields.append("updated_at")
    obj.save(update_fields=fields)
    return obj


def version_field():
    """The hidden, required version of one record (a page editing several records has one per record)."""
    return StrictIntegerField(widget=forms.HiddenInput, min_value=0,
                              error_messages={"required": STALE_MESSAGE, "invalid": STALE_MESSAGE})


class VersionedFormMixin:
    """Adds the hidden ``version`` field, filled from ``instance`` (ModelForm) or ``initial['version']``.

    The field is required: a post without it is refused like a stale one, so nobody can opt out of the lock."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = version_field()
        instance = getattr(self, "instance", None)
        # an unsaved instance (settings shown with their defaults) carries its default version too
        if instance is not None and getattr(instance, "version", None) is not None and "version" not in self.initial:
            self.initial["version"] = instance.version

    def full_clean(self):
        super().full_clean()
        # the version is a hidden field: its refusal is shown above the form, where a reader sees it
        if getattr(self, "_errors", None) and "version" in self._errors:
            self.add_error(None, self._errors.pop("version"))


def save_form_versioned(form):
    """Save a versioned ModelForm's own fields onto the locked row (core.locking): raises StaleEdit and writes nothing
    when the version the form was opened with is no longer the record's. Fields the form does not have (status,
    published state, verification, created_at ...) are never written, whatever was posted. Call inside a
    transaction."""
    locked = locked_for_edit(form.instance, form.cleaned_data.get("version"))
    fields = [f for f in form.instance._meta.concrete_fields if f.name in form._meta.fields]
    for f in fields:
        setattr(locked, f.attname, getattr(form.instance, f.attname))
    save_versioned(locked, [f.name for f in fields])
    form.instance = locked
    return locked
