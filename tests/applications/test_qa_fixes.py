"""Defects a QA engineer found in the demo (findings 4a, 8, 12, 19, 27): money named in 万元 where it is typed in
万元, the declaration time in the PDF, the publicity page reachable from the public pages, a clear message for a
second call of the same year, thousands separators in money fields, one file-size format, the legend layout."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.models import Application, ApplicationVersion, Round
from applications.services import UploadRefused, application_submit, attachment_store
from applications.templatetags.applications_tags import filesize
from applications.workflow import Status
from core.models import AuditLog
from tests.factories import ApplicationFactory, MaterialFactory, RoundFactory
from tests.factories.applications import (
    MINIMAL_PDF,
    application_in,
    attach_required,
    category_with_rules,
    enterprise_user,
    round_post,
)

pytestmark = pytest.mark.django_db
MONEY = ("total_investment", "eligible_investment", "equipment_investment", "requested_amount")


@pytest.fixture
def draft():
    app = ApplicationFactory()
    app.user = enterprise_user(app)
    return app


def edit(client, app, **fields):
    app.refresh_from_db()
    return client.post(reverse("applications:edit", args=[app.pk]), {"version": app.version, **fields})


# --- 4(a): the checklist and the 办理记录 name the money fields as the form does (万元) ---

def test_checklist_names_money_fields_in_wan_like_the_form(client_for):
    app = ApplicationFactory(total_investment=None, eligible_investment=None, requested_amount=None)
    body = client_for(enterprise_user(app)).get(reverse("applications:edit", args=[app.pk])).content.decode()
    checklist, form = body.split("data-warn-unsaved", 1)
    checklist = checklist.split("提交前还需要", 1)[1]
    for label in ("项目总投资（万元）", "符合条件投资（万元）", "申请奖补金额（万元）"):
        assert f"请填写“{label}”" in checklist
        assert f">{label}" in form  # the field right below carries the same name
    assert "（元）" not in checklist


def test_draft_note_names_money_fields_in_wan(client_for, draft):
    client = client_for(draft.user)
    assert edit(client, draft, project_name=draft.project_name, total_investment="3500",
                requested_amount="150").status_code == 302
    note = AuditLog.objects.filter(action="application.save_draft", object_id=str(draft.pk)).get().note
    assert "项目总投资（万元）" in note and "申请奖补金额（万元）" in note and "（元）" not in note
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert "项目总投资（万元）" in detail and "项目总投资（元）" not in detail


# --- 27: thousands separators in every money field ---

@pytest.mark.parametrize("typed", ["1,000", "1，000", "1 000", "1,000.5", "12,345,678.25", " 2,000 "])
def test_money_fields_accept_thousands_separators(client_for, draft, typed):
    client = client_for(draft.user)
    response = edit(client, draft, project_name=draft.project_name,
                    **dict.fromkeys(MONEY, typed))
    assert response.status_code == 302, response.context and response.context["form"].errors
    draft.refresh_from_db()
    expected = Decimal(typed.replace(",", "").replace("，", "").replace(" ", "")) * 10000
    assert [getattr(draft, name) for name in MONEY] == [expected] * 4


@pytest.mark.parametrize("typed", ["1,0a0", "1,5", "12,34,567", "1,000,00", ",100"])
def test_misplaced_separators_and_letters_are_refused_and_kept(client_for, draft, typed):
    before = draft.total_investment
    response = edit(client_for(draft.user), draft, project_name=draft.project_name, total_investment=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["total_investment"][0] in (
        "千位分隔符必须每三位一组，例如 1,000,000.50。", "请输入数字金额，例如 1,000.50。")
    assert f'value="{typed}"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.total_investment == before


def test_call_budget_accepts_thousands_separators(client_for):
    client = client_for(Role.CITY)
    round_ = RoundFactory(year=2040)
    response = client.post(reverse("applications:call_edit", args=[round_.pk]),
                           round_post(round_, total_budget="58,000"))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.total_budget == Decimal("580000000.00")


# --- 27: an empty amount is "—" alone, not "— 万元" ---

def test_empty_amount_shows_a_dash_alone(client_for):
    app = ApplicationFactory(equipment_investment=None)
    client = client_for(enterprise_user(app))
    for name in ("detail", "submit"):
        body = client.get(reverse(f"applications:{name}", args=[app.pk])).content.decode()
        assert "— 万元" not in body and "—\n 万元" not in body
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "设备投资</dt><dd class=\"col-sm-8\">—</dd>" in body
    assert "3,000.00 万元" in body  # a filled amount keeps its unit


# --- 27: the apply page links to the company profile when the profile is the reason ---

def test_apply_page_links_to_the_company_profile_when_the_size_blocks(client_for):
    category = category_with_rules(above_scale_only=True)
    category.round.is_published = True
    category.round.save()
    app = ApplicationFactory(category=category, round=category.round)
    app.enterprise.is_above_scale = False
    app.enterprise.save()
    body = client_for(enterprise_user(app)).get(reverse("applications:apply")).content.decode()
    assert "如情况已变化，请更新企业信息" in body
    assert f'href="{reverse("accounts:company")}?edit=1"' in body and "更新企业信息</a>" in body


# --- 27: one file-size format everywhere ---

@pytest.mark.parametrize(("size", "text"), [
    (202, "0.2 KB"), (1024, "1.0 KB"), (340 * 1024 + 512, "340.5 KB"), (1536 * 1024, "1.5 MB"),
    (10 * 1024 * 1024, "10.0 MB"), (3 * 1024 ** 3, "3.0 GB"), (None, ""),
])
def test_filesize_format(size, text):
    assert filesize(size) == text


def test_upload_slot_limit_and_refusal_use_the_same_size_format(client_for, draft):
    material = MaterialFactory(category=draft.category, allowed_types=["pdf"], max_size_mb=1)
    body = client_for(draft.user).get(reverse("applications:edit", args=[draft.pk])).content.decode()
    hint = body.split(f'id="slot-{material.pk}"', 1)[1].split('class="form-text mt-0">', 1)[1].split("</div>", 1)[0]
    assert hint.endswith("1.0 MB"), hint
    with pytest.raises(UploadRefused) as excinfo:
        attachment_store(application=draft, material=material, actor=draft.user,
                         upload=SimpleUploadedFile("big.pdf", MINIMAL_PDF + b"%" * (1536 * 1024)))
    assert "1.5 MB" in excinfo.value.messages[0] and "1.0 MB" in excinfo.value.messages[0]


# --- 27: the 申报材料 legend is followed by one block (Bootstrap clears the legend's float only for it) ---

def test_materials_legend_is_followed_by_one_block(client_for):
    round_ = RoundFactory()
    body = client_for(Role.CITY).get(reverse("applications:category_new", args=[round_.pk])).content.decode()
    after = body.split("申报材料</legend>", 1)[1].lstrip()
    after = after.split("#}", 1)[1].lstrip() if after.startswith("{#") else after
    assert after.startswith('<div class="material-rows">')
    assert 'name="materials-TOTAL_FORMS"' in after.split('<div class="slot">', 1)[0]


# --- 19: a second call for the same year ---

def test_a_second_call_for_a_year_gets_a_clear_message(client_for):
    RoundFactory(year=2041)
    response = client_for(Role.CITY).post(reverse("applications:call_new"), {
        "year": 2041, "title": "重复年度", "opens_at": "2040-10-01T09:00", "closes_at": "2040-10-31T17:00",
        "total_budget": "1,000"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["2041 年度的申报已存在，请直接编辑该年度。"]
    body = response.content.decode()
    assert "2041 年度的申报已存在，请直接编辑该年度。" in body and "具有" not in body
    assert 'value="重复年度"' in body and 'value="1,000"' in body  # what was typed is kept
    assert Round.objects.filter(year=2041).count() == 1


def test_editing_a_call_keeps_its_own_year(client_for):
    round_ = RoundFactory(year=2042)
    response = client_for(Role.CITY).post(reverse("applications:call_edit", args=[round_.pk]),
                                          round_post(round_, title="改名"))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.title == "改名"


# --- 12: the publicity page is reachable from the public pages and the login page ---

def test_public_pages_and_login_link_to_the_publicity(client):
    round_ = RoundFactory(is_published=True)
    target = f'href="{reverse("publicity:index")}"'
    for url in (reverse("public:calls"), reverse("public:call", args=[round_.year]), reverse("accounts:login")):
        body = client.get(url).content.decode()
        assert target in body, url
        assert "拟支持项目名单公示" in body.split(target, 1)[1].split("</a>", 1)[0], url
    assert client.get(reverse("publicity:index")).status_code == 200


# --- 8: the declaration time in the PDF ---

def pdf_text(client, app, tmp_path, number=None):
    params = {"v": number} if number else {}
    response = client.get(reverse("applications:pdf", args=[app.pk]), params)
    assert response.status_code == 200
    path = tmp_path / "a.pdf"
    path.write_bytes(response.content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")
def test_pdf_prints_the_declaration_time_in_chinese(client_for, draft, tmp_path):
    attach_required(draft, draft.user)
    application_submit(application=draft, actor=draft.user, declaration=True)
    version = ApplicationVersion.objects.get(application=draft)
    # an old frozen version: the ISO text as submission.py stored it
    version.data["declaration_accepted_at"] = "2026-11-27T05:42:32.780786+08:00"
    version.save(update_fields=["data"])
    text = pdf_text(client_for(draft.user), draft, tmp_path, version.number)
    assert "2026年11月27日 05:42" in text
    assert "T05:42" not in text and "+08:00" not in text
    # the same instant stored in UTC prints in Asia/Shanghai
    version.data["declaration_accepted_at"] = "2026-11-26T21:42:32+00:00"
    version.save(update_fields=["data"])
    assert "2026年11月27日 05:42" in pdf_text(client_for(draft.user), draft, tmp_path, version.number)


def test_frozen_datetime_keeps_unparseable_text():
    from applications.pdf import frozen_datetime

    assert frozen_datetime("not a time") == "not a time"
    assert frozen_datetime(None) is None
    assert Application._meta.get_field("declaration_accepted_at")  # the field the snapshot freezes


def test_an_empty_base_investment_is_an_unknown_ceiling_not_zero(client_for):
    """Second QA pass: with 设备投资 empty the enterprise read "最多0.00万元" on the checklist and the page."""
    from applications.services.drafts import submission_problems

    app = application_in(Status.DRAFT, equipment_investment=None)
    assert app.category.award_rule.base == "equipment"
    problems = " ".join(str(p) for p in submission_problems(app))
    assert "0.00" not in problems
    page = client_for(enterprise_user(app)).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "最多0.00" not in page
