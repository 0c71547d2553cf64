"""The first half of the cycle in Chromium, in Chinese: an enterprise registers, drafts, uploads, submits; the
county returns it; the enterprise corrects and resubmits; the county forwards it; the city (with its second
factor) accepts it centrally and qualifies it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import County
from accounts.roles import Role
from accounts.validators import make_credit_code
from applications.models import Application
from applications.workflow import Status
from tests.factories import UserFactory, category_with_rules
from tests.factories.accounts import PASSWORD
from tests.factories.applications import MINIMAL_PDF, ensure_counties
from tests.helpers import current_code, totp_device

CREDIT_CODE = make_credit_code("91410102MA9E2E001")


def log_in(browser, base, username, password=PASSWORD, device=None):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        page.wait_for_url(re.compile(r".*/accounts/2fa/"))
        page.locator("#id_token").fill(current_code(device))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))
    return page


def open_application(page, base, receipt_no):
    page.goto(f"{base}/applications/")
    page.get_by_role("link", name=receipt_no).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("智能化生产线改造项目")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_application_first_half_of_the_cycle(live_server, browser, artifacts, tmp_path):
    ensure_counties()
    category = category_with_rules(name="智能化改造")
    county = UserFactory(role=Role.COUNTY, county=County.objects.get(name="中原区"), first_name="李科长")
    city = UserFactory(role=Role.CITY, first_name="张处长")
    city_device = totp_device(city)
    base = live_server.url
    shot = 0

    def snap(page, name):
        nonlocal shot
        shot += 1
        page.screenshot(path=str(artifacts / f"applications-{shot:02d}-{name}.png"), full_page=True)

    good_pdf = tmp_path / "项目备案文件.pdf"
    good_pdf.write_bytes(MINIMAL_PDF)
    fake_pdf = tmp_path / "备案.pdf"
    fake_pdf.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)

    # 1. the enterprise registers (a phone-sized screen)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="企业注册").click()
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_label("企业名称（与营业执照一致）").fill("郑州浏览器测试装备有限公司")
    page.get_by_label("县（市、区）").select_option(label="中原区")
    page.get_by_label("所属行业").select_option(label="装备制造")
    page.get_by_label("规模以上工业企业（规上）").check()
    page.get_by_label("法定代表人").fill("周一")
    page.get_by_label("联系人").fill("吴二")
    page.get_by_label("联系电话").fill("0371-60000000")
    page.get_by_label("地址").fill("郑州市中原区测试大道1号")
    page.get_by_label("开户名称").fill("郑州浏览器测试装备有限公司")
    page.get_by_label("开户银行").fill("中国工商银行郑州分行")
    page.get_by_label("银行账号").fill("1702000000000001")
    page.get_by_label("用户名").fill("e2e_firm")
    page.get_by_label("您的姓名").fill("吴二")
    page.get_by_label("电子邮箱").fill("wu@example.cn")
    page.get_by_label("手机号码").fill("13900000000")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    snap(page, "register-phone")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r".*/accounts/company/"))
    expect(page.get_by_text("企业注册成功")).to_be_visible()

    # 2. eligibility pre-check, a draft, a refused upload and a good one
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/applications/apply/")
    expect(page.get_by_text("贵企业可以申报")).to_be_visible()
    page.get_by_role("button", name="申报“智能化改造”").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/"))
    page.get_by_label("项目名称").fill("智能化生产线改造项目")
    page.get_by_label("建设性质").select_option(label="技术改造")
    page.get_by_label("建设地点").fill("郑州市中原区测试大道1号")
    page.get_by_label("开工日期").fill("2026-03-01")
    page.get_by_label("竣工日期").fill("2026-12-31")
    page.get_by_label("项目总投资（万元）").fill("3000")
    page.get_by_label("符合条件投资（万元）").fill("2500")
    page.get_by_label("设备投资（万元）").fill("2000")
    page.get_by_label("申请奖补金额（万元）").fill("250")  # too much: 10% of 2000 = 200
    page.get_by_label("项目建设内容").fill("购置智能化设备，建设数字化车间。")
    page.get_by_label("预期成效").fill("生产效率提升30%。")
    page.locator("input[type=file]").first.set_input_files(str(fake_pdf))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".slot.has-error")).to_contain_text("可执行程序")
    expect(page.get_by_label("项目名称")).to_have_value("智能化生产线改造项目")  # nothing typed was lost
    snap(page, "upload-refused")
    page.locator("input[type=file]").first.set_input_files(str(good_pdf))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    expect(page.locator(".slot").first).to_contain_text("项目备案文件.pdf")

    # 3. submission: the checklist catches the amount, the enterprise fixes it and submits
    page.get_by_role("button", name="保存并检查提交").click()
    expect(page.get_by_text("申请金额超过奖补标准")).to_be_visible()
    snap(page, "submit-checklist")
    page.get_by_role("link", name="继续完善申报").click()
    page.get_by_label("申请奖补金额（万元）").fill("200")
    page.get_by_role("button", name="保存并检查提交").click()
    page.get_by_label(re.compile("我已阅读承诺书")).check()
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_text("提交成功")).to_be_visible()
    app = Application.objects.get(enterprise__credit_code=CREDIT_CODE)
    assert app.status == Status.SUBMITTED and app.receipt_no == f"{category.round.year}-ZY-0001"
    expect(page.get_by_text(app.receipt_no).first).to_be_visible()
    snap(page, "submitted")
    page.close()

    # 4. the county returns it for correction
    page = log_in(browser, base, county.username)
    open_application(page, base, app.receipt_no)
    page.locator("summary", has_text="退回补正").click()
    page.locator("#note-return").fill("请补充设备购置发票汇总表，并核对申请金额。")
    page.get_by_role("button", name="确认：退回补正").click()
    expect(page.locator(".badge-status").first).to_have_text("退回补正")
    snap(page, "county-returned")
    page.close()

    # 5. the enterprise sees the reasons, corrects and resubmits
    page = log_in(browser, base, "e2e_firm")
    page.goto(f"{base}/applications/{app.pk}/")
    expect(page.locator(".alert-warning")).to_contain_text("请补充设备购置发票汇总表")
    page.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label("申请奖补金额（万元）").fill("180")
    page.get_by_role("button", name="保存并检查提交").click()
    page.get_by_label(re.compile("我已阅读承诺书")).check()
    page.get_by_role("button", name="重新提交").click()
    expect(page.get_by_text("提交成功")).to_be_visible()
    page.get_by_role("link", name="版本比较").click()
    expect(page.locator("tr.diff-changed")).to_contain_text("180.00")
    snap(page, "versions-compared")
    page.close()

    # 6. the county accepts and forwards it with its opinion and rank
    page = log_in(browser, base, county.username)
    open_application(page, base, app.receipt_no)
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator(".badge-status").first).to_have_text("县区已受理")
    page.locator("#rank-forward").fill("1")
    page.locator("#note-forward").fill("材料齐全，符合申报条件，同意推荐。")
    page.get_by_role("button", name="确认：推荐上报").click()
    expect(page.locator(".badge-status").first).to_have_text("已推荐上报")
    snap(page, "county-forwarded")
    page.close()

    # 7. the city, after its second factor, accepts centrally and qualifies it
    page = log_in(browser, base, city.username, device=city_device)
    page.goto(f"{base}/applications/?status=forwarded")
    page.get_by_role("link", name=app.receipt_no).click()
    page.get_by_role("button", name="集中受理").click()
    expect(page.locator(".badge-status").first).to_have_text("市级已受理")
    page.get_by_role("button", name="资格审核通过").click()
    expect(page.locator(".badge-status").first).to_have_text("资格审核通过")
    expect(page.locator(".stepper li.current")).to_have_text("专家评审")
    snap(page, "city-qualified")
    page.close()

    app.refresh_from_db()
    assert app.status == Status.QUALIFIED
    assert (app.county_rank, app.requested_amount) == (1, 1800000)
    assert list(app.versions.values_list("number", flat=True)) == [1, 2]
    assert app.qualification_decisions.get().decision == "qualified"
    assert (artifacts / "applications-08-city-qualified.png").stat().st_size > 10000
