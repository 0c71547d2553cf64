"""core.locking: the version check, the locked save that bumps it, and the form mixin that carries it."""

import pytest
from django import forms
from django.db import transaction

from accounts.models import Organisation
from applications.models import Application
from applications.workflow import Status
from core.locking import StaleEdit, VersionedFormMixin, check_version, locked_for_edit, save_versioned
from tests.factories.applications import application_in

pytestmark = pytest.mark.django_db


def test_check_version_accepts_the_current_version_and_none():
    app = application_in(Status.DRAFT)
    check_version(app, app.version)
    check_version(app, str(app.version))
    check_version(app, None)


@pytest.mark.parametrize("expected", [0, -1, "abc", "", "1.5"])
def test_check_version_refuses_anything_else(expected):
    app = application_in(Status.DRAFT)
    if str(expected) == str(app.version):
        pytest.skip("same as current")
    with pytest.raises(StaleEdit) as info:
        check_version(app, expected)
    assert info.value.code == "stale"


def test_locked_save_bumps_version_and_second_editor_is_refused():
    app = application_in(Status.DRAFT, project_name="原名称")
    loaded = app.version
    with transaction.atomic():
        first = locked_for_edit(app, loaded)
        first.project_name = "甲修改"
        save_versioned(first, ["project_name"])
    with pytest.raises(StaleEdit), transaction.atomic():
        second = locked_for_edit(app, loaded)  # the colleague still holds the old page
        second.project_name = "乙修改"
        save_versioned(second, ["project_name"])
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.project_name, fresh.version) == ("甲修改", loaded + 1)


class _OrgForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]


class _NoteForm(VersionedFormMixin, forms.Form):
    note = forms.CharField()


def test_form_mixin_carries_a_required_hidden_version():
    app = application_in(Status.DRAFT)
    form = _NoteForm(initial={"version": app.version})
    assert 'type="hidden"' in str(form["version"]) and f'value="{app.version}"' in str(form["version"])
    missing = _NoteForm(data={"note": "保留我输入的内容"})
    assert not missing.is_valid() and "version" not in missing.errors and missing.non_field_errors()
    assert missing["note"].value() == "保留我输入的内容"
    assert _NoteForm(data={"note": "x", "version": "3"}).is_valid()


def test_model_form_mixin_takes_the_instance_version():
    org = application_in(Status.DRAFT).enterprise
    if not hasattr(org, "version"):
        org.version = 7  # Organisation has no lock; the mixin only reads the attribute
    form = _OrgForm(instance=org)
    assert form.initial["version"] == org.version

