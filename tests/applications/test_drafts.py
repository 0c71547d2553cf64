"""The draft service: draft_edit saves the draft page from plain values (fields, uploaded files, a slot id); the save
note and the submission checklist name the fields as the form does."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from applications.models import Attachment
from applications.services import attachment_store, draft_edit
from applications.services.drafts import clean_draft_values
from applications.workflow import Status
from core.audit_notes import render_note
from core.models import AuditLog
from tests.factories import MaterialFactory
from tests.factories.applications import application_in, db_row, edit_draft, enterprise_user, pdf_upload

pytestmark = pytest.mark.django_db


def slot(app, name):
    return MaterialFactory(category=app.category, name=name, allowed_types=["pdf"])


def test_fields_uploads_and_a_removal_in_one_save(draft):
    kept, new, gone = slot(draft, "营业执照"), slot(draft, "备案文件"), slot(draft, "环评批复")
    attachment_store(application=draft, material=gone, upload=pdf_upload(), actor=draft.user)
    draft.refresh_from_db()
    opened = draft.version

    result = draft_edit(actor=draft.user, application=draft, expected_version=str(opened),
                        fields={"project_name": "新项目名称", "total_investment": Decimal("40000000.00")},
                        uploads={new.pk: pdf_upload("备案文件.pdf")}, remove_material_id=str(gone.pk))

    assert result.saved and result.stale is None and result.upload_errors == {} and result.removed == gone
    draft.refresh_from_db()
    assert draft.project_name == "新项目名称" and draft.total_investment == Decimal("40000000.00")
    assert draft.version == opened + 3  # fields, upload, removal: each a change colleagues must see
    assert result.application.version == draft.version
    assert Attachment.objects.filter(application=draft, material=new, is_current=True).exists()
    assert not Attachment.objects.filter(application=draft, material=gone, is_current=True).exists()
    assert not Attachment.objects.filter(application=draft, material=kept).exists()
    actions = list(AuditLog.objects.filter(actor=draft.user).order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["application.save_draft", "application.upload", "application.upload_removed"]


def test_a_stale_page_writes_nothing(draft):
    material = slot(draft, "营业执照")
    before, audits = db_row(draft), AuditLog.objects.count()
    result = draft_edit(actor=draft.user, application=draft, expected_version=draft.version - 1,
                        fields={"project_name": "过期的改动"}, uploads={material.pk: pdf_upload()},
                        remove_material_id=material.pk)
    assert result.stale is not None and "已被他人修改" in result.stale.messages[0]
    assert not result.saved
    assert db_row(draft) == before and AuditLog.objects.count() == audits
    assert not Attachment.objects.filter(application=draft).exists()


def test_a_refused_file_keeps_the_fields_and_the_other_files(draft):
    good, bad = slot(draft, "营业执照"), slot(draft, "备案文件")
    result = draft_edit(actor=draft.user, application=draft, expected_version=draft.version,
                        fields={"project_name": "保留的名称"},
                        uploads={good.pk: pdf_upload(), bad.pk: SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 64)})
    assert result.saved and list(result.upload_errors) == [bad.pk]
    assert "可执行程序" in result.upload_errors[bad.pk][0]
    draft.refresh_from_db()
    assert draft.project_name == "保留的名称"
    assert Attachment.objects.filter(application=draft, material=good, is_current=True).exists()
    assert not Attachment.objects.filter(application=draft, material=bad).exists()


@pytest.mark.parametrize("fields, field, message", [
    ({"total_investment": "三千万"}, "total_investment", "数字"),
    ({"construction_type": "rocket"}, "construction_type", "有效选项"),
    ({"start_date": "2021-05-01", "end_date": "2021-01-01"}, "end_date", "竣工日期早于开工日期"),
    ({"project_name": "名" * 201}, "project_name", "200"),
])
def test_bad_values_are_refused_in_chinese_before_anything_is_written(draft, fields, field, message):
    material = slot(draft, "营业执照")
    before, audits = db_row(draft), AuditLog.objects.count()
    with pytest.raises(ValidationError) as caught:
        draft_edit(actor=draft.user, application=draft, expected_version=draft.version, fields=fields,
                   uploads={material.pk: pdf_upload()})
    assert message in " ".join(caught.value.message_dict[field])
    assert db_row(draft) == before and AuditLog.objects.count() == audits
    assert not Attachment.objects.exists()


def test_empty_values_are_allowed_in_a_draft():
    assert clean_draft_values({"project_name": "", "total_investment": None, "start_date": ""}) == {
        "project_name": "", "total_investment": None, "start_date": None}


def test_without_valid_fields_only_the_files_change_and_a_foreign_slot_is_ignored(draft):
    material = slot(draft, "营业执照")
    foreign = MaterialFactory(name="别的类别的材料")
    result = draft_edit(actor=draft.user, application=draft, expected_version=draft.version, fields=None,
                        uploads={material.pk: pdf_upload(), foreign.pk: pdf_upload()},
                        remove_material_id="x1")
    assert not result.saved and result.removed is None and result.upload_errors == {}
    assert list(Attachment.objects.filter(application=draft).values_list("material", flat=True)) == [material.pk]


def test_the_page_saves_through_the_service(client_for, draft):
    material = slot(draft, "营业执照")
    client = client_for(draft.user)
    response = client.post(reverse("applications:edit", args=[draft.pk]), {
        "project_name": "页面保存", "construction_type": "renovation", "version": draft.version,
        f"file_{material.pk}": pdf_upload()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.project_name == "页面保存"
    assert Attachment.objects.filter(application=draft, material=material, is_current=True).exists()
    stale = client.post(reverse("applications:edit", args=[draft.pk]), {"project_name": "旧页面",
                                                                         "version": draft.version - 1})
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    draft.refresh_from_db()
    assert draft.project_name == "页面保存"


def test_draft_note_names_money_fields_in_wan(client_for, draft):
    client = client_for(draft.user)
    assert edit_draft(client, draft, project_name=draft.project_name, total_investment="3500",
                      requested_amount="150").status_code == 302
    with translation.override("zh-hans"):
        note = render_note(AuditLog.objects.filter(action="application.save_draft", object_id=str(draft.pk)).get())
    assert "项目总投资（万元）" in note and "申请奖补金额（万元）" in note and "（元）" not in note
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert "项目总投资（万元）" in detail and "项目总投资（元）" not in detail


def test_an_empty_base_investment_is_an_unknown_ceiling_not_zero(client_for):
    """With 设备投资 empty the checklist and the page once read "最多0.00万元"."""
    from applications.services.drafts import submission_problems

    app = application_in(Status.DRAFT, equipment_investment=None)
    assert app.category.award_rule.base == "equipment"
    problems = " ".join(str(p) for p in submission_problems(app))
    assert "0.00" not in problems
    page = client_for(enterprise_user(app)).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "最多0.00" not in page
