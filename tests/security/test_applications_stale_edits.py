"""Stale edits on the records several people edit at once: the call and its publication, the category page (the
category with its award rule and materials) edited by city officers, and the application draft (fields and files)
edited by several users of one enterprise. The second save from an outdated page is refused with the Chinese
message; nothing is overwritten, no audit row is written, and what was typed stays in the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.models import Attachment
from applications.workflow import Status
from core.models import AuditLog
from tests.factories import ProfiledEnterpriseFactory, RoundFactory, UserFactory, category_with_rules
from tests.factories.applications import (
    MINIMAL_PDF,
    application_in,
    attach_required,
    browser,
    category_post,
    db_row,
    enterprise_user,
    round_post,
)

pytestmark = pytest.mark.django_db
STALE = "此记录在您打开后已被他人修改"
STALE_APPLICATION = "该申报已被他人修改"


def rows(*objs):
    return [db_row(obj) for obj in objs], AuditLog.objects.count()


# --- the call (several city officers) ---

def test_a_stale_call_save_is_refused_and_keeps_what_was_typed():
    round_ = RoundFactory(is_published=False)
    first, second = browser(Role.CITY), browser(Role.CITY)
    opened = round_post(round_)
    assert first.post(reverse("applications:call_edit", args=[round_.pk]),
                      {**opened, "title": "甲处长改的标题"}).status_code == 302
    before = rows(round_)
    response = second.post(reverse("applications:call_edit", args=[round_.pk]),
                           {**opened, "title": "乙科长改的标题", "notice": "乙科长写的通知"})
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body and "乙科长改的标题" in body and "乙科长写的通知" in body
    assert rows(round_) == before


def test_publishing_a_call_changed_since_the_page_was_opened_is_refused():
    category = category_with_rules(round=RoundFactory(is_published=False))
    round_ = category.round
    first, second = browser(Role.CITY), browser(Role.CITY)
    seen = round_.version
    first.post(reverse("applications:call_edit", args=[round_.pk]), round_post(round_, title="改过日期的通知"))
    before = rows(round_)
    response = second.post(reverse("applications:call_publish", args=[round_.pk]), {"publish": "1", "version": seen},
                           follow=True)
    assert STALE in response.content.decode()
    assert rows(round_) == before
    round_.refresh_from_db()
    assert not round_.is_published
    second.post(reverse("applications:call_publish", args=[round_.pk]), {"publish": "1", "version": round_.version})
    round_.refresh_from_db()
    assert round_.is_published


@pytest.mark.parametrize("first_change", [
    {"name": "甲改的类别名"},                                   # the category itself
    {"rule-rate_percent": "20"},                                # its award rule
    {"materials-0-name": "甲改的材料名"},                        # one of its materials
])
def test_a_stale_category_page_is_refused_whatever_part_the_other_officer_changed(first_change):
    category = category_with_rules()
    rule, material = category.award_rule, category.materials.get()
    first, second = browser(Role.CITY), browser(Role.CITY)
    opened = category_post(category)
    url = reverse("applications:category_edit", args=[category.round_id, category.pk])
    assert first.post(url, {**opened, **first_change}).status_code == 302
    before = rows(category, rule, material)
    response = second.post(url, {**opened, "rule-rate_percent": "5", "rule-description": "乙写的说明",
                                 "materials-0-name": "乙改的材料名"})
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body and "乙写的说明" in body and "乙改的材料名" in body
    assert rows(category, rule, material) == before


def test_a_category_page_without_a_version_is_refused():
    category = category_with_rules()
    data = category_post(category, name="无版本")
    del data["version"]
    city = browser(Role.CITY)  # (logging in writes its own audit row)
    before = rows(category)
    response = city.post(reverse("applications:category_edit", args=[category.round_id, category.pk]), data)
    assert response.status_code == 200 and rows(category) == before


# --- the application draft (several users of one enterprise) ---

@pytest.fixture
def draft():
    app = application_in(Status.DRAFT)
    app.first, app.second = browser(enterprise_user(app)), browser(enterprise_user(app))
    app.slot = app.category.materials.get()
    return app


def edit(client, app, **data):
    return client.post(reverse("applications:edit", args=[app.pk]), data)


def test_a_colleagues_upload_makes_an_open_draft_form_stale(draft):
    opened = draft.version
    response = edit(draft.first, draft, project_name=draft.project_name, version=opened,
                    **{f"file_{draft.slot.pk}": SimpleUploadedFile("甲的备案.pdf", MINIMAL_PDF)})
    assert response.status_code in (200, 302)
    mine = Attachment.objects.get(application=draft, is_current=True)
    before = rows(draft, mine)
    response = edit(draft.second, draft, project_name="乙改的名称", version=opened,
                    **{f"file_{draft.slot.pk}": SimpleUploadedFile("乙的备案.pdf", MINIMAL_PDF + b"%b\n")})
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE_APPLICATION in body and 'value="乙改的名称"' in body
    assert rows(draft, mine) == before  # the name, the version and the colleague's file are untouched
    names = Attachment.objects.filter(application=draft).values_list("original_name", flat=True)
    assert list(names) == ["甲的备案.pdf"]


def test_a_stale_draft_form_cannot_remove_a_colleagues_file(draft):
    opened = draft.version
    attach_required(draft, draft.first.user)  # the colleague uploads after the form was opened
    mine = Attachment.objects.get(application=draft, is_current=True)
    before = rows(draft, mine)
    response = edit(draft.second, draft, project_name=draft.project_name, version=opened, remove=draft.slot.pk)
    assert response.status_code == 200 and STALE_APPLICATION in response.content.decode()
    assert rows(draft, mine) == before


@pytest.mark.parametrize("version", ["", "abc", "-5"])
def test_a_draft_post_with_a_garbled_version_changes_nothing(draft, version):
    before = rows(draft)
    response = edit(draft.first, draft, project_name="没有版本", version=version,
                    **{f"file_{draft.slot.pk}": SimpleUploadedFile("x.pdf", MINIMAL_PDF)})
    assert response.status_code == 200
    assert rows(draft) == before and not Attachment.objects.filter(application=draft).exists()


def test_a_draft_post_without_a_version_changes_nothing(draft):
    before = rows(draft)
    response = edit(draft.first, draft, project_name="没有版本",
                    **{f"file_{draft.slot.pk}": SimpleUploadedFile("x.pdf", MINIMAL_PDF)})
    assert response.status_code == 200
    assert rows(draft) == before and not Attachment.objects.filter(application=draft).exists()


def test_submitting_a_draft_changed_since_the_submit_page_was_opened_is_refused(draft):
    attach_required(draft, draft.first.user)
    draft.refresh_from_db()
    seen = draft.version
    edit(draft.first, draft, **{"version": seen, f"file_{draft.slot.pk}": SimpleUploadedFile("新版.pdf",
                                                                                             MINIMAL_PDF + b"%2\n")})
    before = rows(draft)
    response = draft.second.post(reverse("applications:submit", args=[draft.pk]),
                                 {"declaration": "on", "version": seen}, follow=True)
    assert STALE_APPLICATION in response.content.decode()
    assert rows(draft) == before
    draft.refresh_from_db()
    assert (draft.status, draft.receipt_no) == (Status.DRAFT, "")


# --- the Django admin: its saves count as changes, and the version cannot be typed there ---

def admin_request(rf):
    request = rf.post("/")
    request.user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    return request


@pytest.mark.parametrize("model_name", ["round", "category", "organisation"])
def test_an_admin_save_makes_open_pages_stale_and_the_version_is_read_only(rf, model_name):
    from django.contrib import admin

    category = category_with_rules()
    obj = {"round": category.round, "category": category,
           "organisation": ProfiledEnterpriseFactory()}[model_name]
    model_admin = admin.site._registry[type(obj)]
    request = admin_request(rf)
    assert "version" in model_admin.get_readonly_fields(request, obj)
    before = obj.version
    model_admin.save_model(request, obj, form=None, change=True)
    obj.refresh_from_db()
    assert obj.version == before + 1


def test_categories_changed_inside_the_round_admin_get_a_new_version(rf):
    from django.contrib import admin

    category = category_with_rules()
    round_admin = admin.site._registry[type(category.round)]
    request = admin_request(rf)
    inline = round_admin.get_inline_instances(request, category.round)[0]
    formset_class = inline.get_formset(request, category.round)
    data = {"categories-TOTAL_FORMS": "1", "categories-INITIAL_FORMS": "1", "categories-MIN_NUM_FORMS": "0",
            "categories-MAX_NUM_FORMS": "1000", "categories-0-id": category.pk, "categories-0-round": category.round_id,
            "categories-0-name": "管理员改名", "categories-0-sort_order": "0", "categories-0-is_three_upgrades": "on"}
    formset = formset_class(data, instance=category.round, prefix="categories")
    assert formset.is_valid(), formset.errors
    before = category.version
    round_admin.save_formset(request, None, formset, change=True)
    category.refresh_from_db()
    assert (category.name, category.version) == ("管理员改名", before + 1)
