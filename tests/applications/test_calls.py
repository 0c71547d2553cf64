"""The annual call as data: public pages without login, city staff edit rounds, categories, rules, materials."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import AwardRule, Category, Material, Round
from applications.services.calls import category_save, round_save
from core.locking import StaleEdit
from core.models import AuditLog
from tests.factories import ApplicationFactory, CategoryFactory, RoundFactory, UserFactory, category_with_rules
from tests.factories.applications import round_post

pytestmark = pytest.mark.django_db


def test_public_pages_need_no_login_and_show_categories_rules_materials_timeline(client):
    category = category_with_rules(name="智能化改造")
    round_ = category.round
    listing = client.get(reverse("public:calls"))
    assert listing.status_code == 200 and round_.title in listing.content.decode()
    page = client.get(reverse("public:call", args=[round_.year]))
    body = page.content.decode()
    assert page.status_code == 200
    expected = ("智能化改造", "设备投资的10%", "最高500.00万元", "项目备案文件", "时间安排", "申报截止", round_.notice)
    for text in expected:
        assert text in body, text


def test_unpublished_calls_are_not_public(client):
    round_ = RoundFactory(is_published=False)
    assert client.get(reverse("public:call", args=[round_.year])).status_code == 404
    assert round_.title not in client.get(reverse("public:calls")).content.decode()


def test_public_pages_pass_the_two_factor_gate(client_for):
    """A city user who has not passed 2FA can still read the public notice."""
    from tests.factories import UserFactory

    category = category_with_rules()
    user = UserFactory(role=Role.CITY)
    client = client_for(Role.ENTERPRISE)
    client.force_login(user)  # logged in, second factor not passed
    assert client.get(reverse("public:call", args=[category.round.year])).status_code == 200


def test_city_creates_a_call_then_a_category_with_rule_and_materials(client_for):
    client = client_for(Role.CITY)
    response = client.post(reverse("applications:call_new"), {
        "year": 2031, "title": "2031年度郑州市制造业高质量发展专项资金", "notice": "通知正文",
        "opens_at": "2030-10-08T09:00", "closes_at": "2030-10-31T17:30", "county_deadline": "2030-11-10",
        "total_budget": "58000", "same_county_conflict": "on"})
    assert response.status_code == 302
    round_ = Round.objects.get(year=2031)
    assert str(round_.total_budget) == "580000000.00" and not round_.is_published
    assert timezone.localtime(round_.closes_at).strftime("%m-%d %H:%M") == "10-31 17:30"
    response = client.post(reverse("applications:category_new", args=[round_.pk]), {
        "name": "绿色化改造", "description": "", "is_three_upgrades": "on", "min_eligible_investment": "300",
        "sort_order": "1",
        "rule-rate_percent": "10", "rule-base": "equipment", "rule-cap": "300", "rule-payment": "one_off",
        "rule-description": "",
        "materials-TOTAL_FORMS": "2", "materials-INITIAL_FORMS": "0", "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
        "materials-0-name": "节能评估报告", "materials-0-allowed_types": ["pdf", "docx"], "materials-0-required": "on",
        "materials-0-sort_order": "0", "materials-0-description": "", "materials-0-max_size_mb": "",
        "materials-1-name": "", "materials-1-sort_order": "0", "materials-1-required": "on",
    })
    assert response.status_code == 302, response.context and response.context["materials"].errors
    category = Category.objects.get(round=round_, name="绿色化改造")
    assert str(category.min_eligible_investment) == "3000000.00"
    rule = AwardRule.objects.get(category=category)
    assert (str(rule.rate), rule.base, str(rule.cap)) == ("0.1000", "equipment", "3000000.00")
    assert list(Material.objects.filter(category=category).values_list("name", "allowed_types")) == [
        ("节能评估报告", ["pdf", "docx"])]
    round_.refresh_from_db()
    client.post(reverse("applications:call_publish", args=[round_.pk]), {"publish": "1", "version": round_.version})
    round_.refresh_from_db()
    assert round_.is_published
    assert AuditLog.objects.filter(action="call.publish", object_id=str(round_.pk)).exists()


def test_a_call_without_categories_cannot_be_published(client_for):
    round_ = RoundFactory(is_published=False)
    client_for(Role.CITY).post(reverse("applications:call_publish", args=[round_.pk]),
                               {"publish": "1", "version": round_.version})
    round_.refresh_from_db()
    assert not round_.is_published


def test_window_must_close_after_it_opens(client_for):
    response = client_for(Role.CITY).post(reverse("applications:call_new"), {
        "year": 2032, "title": "x", "opens_at": "2031-10-31T09:00", "closes_at": "2031-10-01T09:00",
        "total_budget": "1"})
    assert response.status_code == 200 and "closes_at" in response.context["form"].errors


def test_a_material_with_uploads_cannot_be_deleted(client_for):
    from applications.services import attachment_store
    from tests.factories.applications import enterprise_user, pdf_upload

    app = ApplicationFactory()
    material = app.category.materials.get()
    attachment_store(application=app, material=material, upload=pdf_upload(), actor=enterprise_user(app))
    rule = app.category.award_rule
    response = client_for(Role.CITY).post(reverse("applications:category_edit", args=[app.round.pk, app.category.pk]), {
        "name": app.category.name, "version": app.category.version, "sort_order": "0",
        "rule-rate_percent": "10", "rule-base": rule.base,
        "rule-payment": rule.payment, "materials-TOTAL_FORMS": "1", "materials-INITIAL_FORMS": "1",
        "materials-MIN_NUM_FORMS": "0", "materials-MAX_NUM_FORMS": "1000", "materials-0-id": material.pk,
        "materials-0-name": material.name, "materials-0-allowed_types": ["pdf"], "materials-0-required": "on",
        "materials-0-sort_order": "0", "materials-0-DELETE": "on"})
    assert response.status_code == 200
    assert "不能删除" in response.content.decode()  # refused for the protected material, not as a stale form
    assert Material.objects.filter(pk=material.pk).exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.COUNTY, Role.OFFICIAL, Role.EXPERT])
def test_only_city_staff_edit_calls(role, client_for):
    round_ = CategoryFactory().round
    client = client_for(role)
    assert client.get(reverse("applications:calls")).status_code == 403
    assert client.post(reverse("applications:call_publish", args=[round_.pk]),
                       {"publish": "0", "version": round_.version}).status_code == 403
    round_.refresh_from_db()
    assert round_.is_published


def test_round_open_follows_the_server_clock():
    round_ = RoundFactory(opens_at=timezone.now() - datetime.timedelta(hours=1),
                          closes_at=timezone.now() + datetime.timedelta(hours=1))
    assert round_.is_open() and round_.window_state == "open"
    assert not round_.is_open(timezone.now() + datetime.timedelta(hours=2))


def _call_values(**overrides):
    opens = timezone.make_aware(datetime.datetime(2030, 3, 1, 9, 0))
    values = {"year": 2030, "title": "2030年度专项资金申报通知", "notice": "通知正文", "opens_at": opens,
              "closes_at": opens + datetime.timedelta(days=30), "county_deadline": datetime.date(2030, 4, 15),
              "total_budget": "500000000.00", "same_county_conflict": True}
    return {**values, **overrides}


def test_round_save_creates_and_changes_a_call_from_plain_values():
    city = UserFactory(role=Role.CITY)
    round_ = round_save(actor=city, **_call_values(is_published=True))
    stored = Round.objects.get(year=2030)
    assert stored.pk == round_.pk and stored.title == "2030年度专项资金申报通知"
    assert str(stored.total_budget) == "500000000.00"
    assert not stored.is_published  # not a field of this service: ignored
    assert AuditLog.objects.filter(action="call.create", actor=city, object_id=str(stored.pk)).exists()

    round_save(actor=city, round_=stored, expected_version=stored.version, title="改过的标题")
    changed = Round.objects.get(pk=stored.pk)
    assert changed.title == "改过的标题" and changed.version == stored.version + 1
    assert AuditLog.objects.get(action="call.update").data == {"fields": ["title"]}


@pytest.mark.parametrize("overrides, field, message", [
    ({"closes_at": timezone.make_aware(datetime.datetime(2030, 2, 1))}, "closes_at", "截止"),
    ({"county_deadline": datetime.date(2030, 3, 2)}, "county_deadline", "县"),
    ({"total_budget": "很多"}, "total_budget", "数字"),
    ({"year": "二〇三〇"}, "year", "整型"),
])
def test_round_save_refuses_bad_values_in_chinese_and_writes_nothing(overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        round_save(actor=UserFactory(role=Role.CITY), **_call_values(**overrides))
    assert message in " ".join(caught.value.message_dict[field])
    assert not Round.objects.filter(year=2030).exists()
    assert not AuditLog.objects.exists()


def test_round_save_refuses_a_stale_page_and_a_taken_year():
    city = UserFactory(role=Role.CITY)
    existing = RoundFactory()
    with pytest.raises(StaleEdit):
        round_save(actor=city, round_=existing, expected_version=existing.version - 1, title="过期的改动")
    with pytest.raises(ValidationError):
        round_save(actor=city, **_call_values(year=existing.year))
    assert Round.objects.get(pk=existing.pk).title == existing.title
    assert not AuditLog.objects.exists()


def _category_values(**overrides):
    return {"name": "绿色制造", "description": "", "is_three_upgrades": False, "is_green_manufacturing": True,
            "above_scale_only": False, "min_eligible_investment": None, "sort_order": 1, **overrides}


RULE = {"rate": "0.1000", "base": "equipment", "cap": "5000000.00", "payment": "one_off", "description": ""}


def test_category_save_writes_the_category_its_rule_and_materials_from_plain_values():
    city = UserFactory(role=Role.CITY)
    round_ = RoundFactory()
    category = category_save(actor=city, round_=round_, fields=_category_values(), rule=RULE, materials=[
        {"id": None, "name": "营业执照", "allowed_types": ["pdf"], "required": True, "max_size_mb": 10,
         "sort_order": 1, "description": ""}])
    stored = Category.objects.get(round=round_, name="绿色制造")
    assert stored.pk == category.pk and str(stored.award_rule.rate) == "0.1000"
    (material,) = stored.materials.all()
    assert material.name == "营业执照" and material.allowed_types == ["pdf"]
    assert AuditLog.objects.filter(action="category.create", actor=city).count() == 1

    category_save(actor=city, round_=round_, category=stored, expected_version=stored.version,
                  fields=_category_values(name="绿色工厂"), rule={**RULE, "rate": "0.2000"},
                  materials=[{"id": material.pk, "delete": True}])
    stored.refresh_from_db()
    assert stored.name == "绿色工厂" and str(stored.award_rule.rate) == "0.2000" and stored.version == 2
    assert not Material.objects.filter(pk=material.pk).exists()
    assert "applications.AwardRule.rate" in AuditLog.objects.get(action="category.update").data["fields"]
    with pytest.raises(StaleEdit):
        category_save(actor=city, round_=round_, category=stored, expected_version=1,
                      fields=_category_values(name="过期"), rule=RULE)


@pytest.mark.parametrize("fields, rule, materials, message", [
    ({"sort_order": "第一"}, {}, [], "整型"),
    ({}, {"base": "luck"}, [], "有效选项"),
    ({}, {}, [{"id": None, "name": "材料", "allowed_types": ["exe"], "required": True, "max_size_mb": 10,
               "sort_order": 1}], "文件类型"),
    ({}, {}, [{"id": 999999, "name": "别人的材料", "allowed_types": ["pdf"], "required": True, "max_size_mb": 10,
               "sort_order": 1}], "重新加载"),
])
def test_category_save_refuses_bad_values_in_chinese_and_writes_nothing(fields, rule, materials, message):
    round_ = RoundFactory()
    with pytest.raises(ValidationError) as caught:
        category_save(actor=UserFactory(role=Role.CITY), round_=round_, fields=_category_values(**fields),
                      rule={**RULE, **rule}, materials=materials)
    assert message in " ".join(caught.value.messages)
    assert not Category.objects.filter(round=round_).exists()
    assert not Material.objects.filter(name__in=["材料", "别人的材料"]).exists()
    assert not AuditLog.objects.exists()


def test_call_budget_accepts_thousands_separators(client_for):
    client = client_for(Role.CITY)
    round_ = RoundFactory(year=2040)
    response = client.post(reverse("applications:call_edit", args=[round_.pk]),
                           round_post(round_, total_budget="58,000"))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.total_budget == Decimal("580000000.00")


def test_materials_legend_is_followed_by_one_block(client_for):
    round_ = RoundFactory()
    body = client_for(Role.CITY).get(reverse("applications:category_new", args=[round_.pk])).content.decode()
    after = body.split("申报材料</legend>", 1)[1].lstrip()
    after = after.split("#}", 1)[1].lstrip() if after.startswith("{#") else after
    assert after.startswith('<div class="material-rows">')
    assert 'name="materials-TOTAL_FORMS"' in after.split('<div class="slot">', 1)[0]


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


def test_the_call_form_sets_the_follow_up_years_with_the_deadlines(client_for):
    round_ = RoundFactory(year=2043)
    client = client_for(Role.CITY)
    page = client.get(reverse("applications:call_edit", args=[round_.pk])).content.decode()
    assert "绩效跟踪年限（年）" in page and 'name="followup_years" value="3"' in page
    response = client.post(reverse("applications:call_edit", args=[round_.pk]), round_post(round_, followup_years="11"))
    assert response.status_code == 200 and 'value="11"' in response.content.decode()
    round_.refresh_from_db()
    assert round_.followup_years == 3
    response = client.post(reverse("applications:call_edit", args=[round_.pk]), round_post(round_, followup_years="0"))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.followup_years == 0
