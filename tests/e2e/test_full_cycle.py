"""The whole 2021 cycle in Chromium, every role, every step through the UI: from the call to the payment, the
acceptance of the funded project, a clawback with a partial refund, and the self-evaluation report that states
them.

Only the world the cycle starts from is made with factories: the counties, one user per staff role (two city
officers for the clawback's four eyes), two experts in the pool, an audit firm, the evaluation year with its
indicators, and a second application of the call already on the approved support list with its commitment (the
project whose money is clawed back: its review is the first one's, clicked once). Everything else is clicked:
both projects are paid in one batch, the first is accepted, the second fails its acceptance and part of its
award is refunded. A screenshot of each step is kept in test-artifacts/full-cycle/NN-step.png."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import County
from accounts.roles import Role
from accounts.validators import make_credit_code
from applications.models import Application, Round
from applications.workflow import Status
from disbursements.models import Payment
from disbursements.workflow import PaymentStatus
from evaluation.models import SurveyResponse
from reviews.models import Publicity
from tests.core.test_celery import celery_worker  # noqa: F401  (the real worker on the real Redis)
from tests.factories import UserFactory
from tests.factories import disbursements as money_factories
from tests.factories.accounts import PASSWORD
from tests.factories.applications import MINIMAL_PDF, PNG_1PX, ProfiledEnterpriseFactory, ensure_counties
from tests.factories.evaluation import year_with_catalogue
from tests.factories.reviews import ExpertFactory, auditor_firm, auditor_user
from tests.helpers import browser_login, pdf_text

from .full_cycle_helpers import ServerErrors, Shots, bank_return, run_acceptance, run_clawback, visitor, zh

CREDIT_CODE = make_credit_code("91410102MA9FC0001")
FIRM = "郑州全流程智能装备有限公司"
PROJECT = "全流程智能化生产线改造项目"
CATEGORY = "智能化改造"
FIRM2 = "郑州追回测试机械有限公司"
PROJECT2 = "数字化车间建设项目"


def staff(role, **kwargs):
    user = UserFactory.for_role(role, **kwargs)
    return user


@pytest.mark.e2e
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_the_whole_2021_cycle_through_the_ui(live_server, browser, artifacts, tmp_path):
    snap = Shots(artifacts)
    with ServerErrors() as server:
        try:
            run_cycle(live_server.url, browser, snap, tmp_path)
        except BaseException as exc:
            snap.failure(browser)
            if server.errors:
                raise AssertionError("the server answered 500:\n" + "\n".join(server.errors)) from exc
            raise
    assert not server.errors, server.errors
    assert snap.n == 29


def run_cycle(base, browser, snap, tmp_path):
    ensure_counties()
    zhongyuan = County.objects.get(name="中原区")
    city = staff(Role.CITY, first_name="张处长")
    city2 = staff(Role.CITY, first_name="王科长")
    county = staff(Role.COUNTY, county=zhongyuan, first_name="李科长")
    experts = [ExpertFactory(name=name, user=UserFactory(role=Role.EXPERT, first_name=name))
               for name in ("刘教授", "陈高工")]
    auditor = auditor_user(auditor_firm(), first_name="审计师王")
    preparer = staff(Role.FINANCE_PREPARER, first_name="赵会计")
    approver = staff(Role.FINANCE_APPROVER, first_name="孙科长")
    official = staff(Role.OFFICIAL, first_name="周局长")
    year_with_catalogue(2021)
    pdf = tmp_path / "项目备案文件.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    report_pdf = tmp_path / "审计报告.pdf"
    report_pdf.write_bytes(MINIMAL_PDF)
    completion_pdf = tmp_path / "完工报告.pdf"
    completion_pdf.write_bytes(MINIMAL_PDF)
    photo = tmp_path / "设备照片.png"
    photo.write_bytes(PNG_1PX)
    now = timezone.localtime()

    # 1. city staff publish the 2021 call with one category, its award rule and one required material
    city_page = browser_login(browser, base, city)
    city_page.goto(f"{base}/applications/calls/new/")
    city_page.locator("#id_year").fill("2021")
    city_page.locator("#id_title").fill("2021年度郑州市制造业高质量发展专项资金申报通知")
    city_page.locator("#id_notice").fill("各县（市、区）工信部门：现组织申报2021年度制造业高质量发展专项资金。")
    city_page.locator("#id_opens_at").fill((now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    city_page.locator("#id_closes_at").fill((now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    city_page.locator("#id_county_deadline").fill((now + timedelta(days=40)).strftime("%Y-%m-%d"))
    city_page.locator("#id_total_budget").fill("58000")
    city_page.get_by_role("button", name=zh("Save")).click()
    city_page.wait_for_url(re.compile(r"/applications/calls/\d+/$"))
    city_page.get_by_role("link", name=zh("Add a category")).click()
    city_page.locator("#id_name").fill(CATEGORY)
    city_page.locator("#id_description").fill("企业智能化、数字化改造项目。")
    city_page.locator("#id_rule-rate_percent").fill("10")
    city_page.locator("#id_rule-base").select_option("equipment")
    city_page.locator("#id_rule-cap").fill("500")
    city_page.locator("#id_rule-payment").select_option("one_off")
    city_page.locator("#id_materials-0-name").fill("项目备案文件")
    city_page.locator("#id_materials-0-allowed_types_0").check()  # PDF
    city_page.locator("#id_materials-0-required").check()
    city_page.get_by_role("button", name=zh("Save")).click()
    city_page.wait_for_url(re.compile(r"/applications/calls/\d+/$"))
    city_page.get_by_role("button", name=zh("Publish"), exact=True).click()
    expect(city_page.locator("h1 .badge.text-bg-success")).to_contain_text("已发布")
    round_ = Round.objects.get(year=2021)
    assert round_.is_published and round_.categories.get().award_rule.rate == Decimal("0.1")
    snap(city_page, "city-published-call")

    # 2. a visitor sees the call on the public page (phone width)
    public = visitor(browser)
    public.goto(f"{base}/public/")
    public.get_by_role("link", name=re.compile(round_.title)).first.click()
    public.wait_for_url(re.compile(r"/public/calls/2021/$"))
    expect(public.get_by_text(CATEGORY).first).to_be_visible()
    snap(public, "visitor-reads-call")

    # 3. an enterprise registers (phone width)
    public.goto(f"{base}/accounts/login/")
    public.get_by_role("link", name="企业注册").click()
    public.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    public.get_by_label("企业名称（与营业执照一致）").fill(FIRM)
    public.get_by_label("县（市、区）").select_option(label="中原区")
    public.get_by_label("所属行业").select_option(label="装备制造")
    public.get_by_label("规模以上工业企业（规上）").check()
    public.get_by_label("法定代表人").fill("周一")
    public.get_by_label("联系人").fill("吴二")
    public.get_by_label("联系电话").fill("0371-60000000")
    public.get_by_label("地址").fill("郑州市中原区测试大道1号")
    public.get_by_label("开户名称").fill(FIRM)
    public.get_by_label("开户银行").fill("中国工商银行郑州分行")
    public.get_by_label("银行账号").fill("1702000000000001")
    public.get_by_label("用户名").fill("cycle_firm")
    public.get_by_label("您的姓名").fill("吴二")
    public.get_by_label("电子邮箱").fill("wu@example.cn")
    public.get_by_label("手机号码").fill("13900000000")
    public.locator("#id_password1").fill(PASSWORD)
    public.locator("#id_password2").fill(PASSWORD)
    public.get_by_role("button", name="注册").click()
    public.wait_for_url(re.compile(r".*/accounts/company/"))
    expect(public.get_by_text("企业注册成功")).to_be_visible()
    snap(public, "enterprise-registered")
    firm_page = public
    firm_page.set_viewport_size({"width": 1280, "height": 900})

    # 4. it drafts, uploads a real PDF, signs the declaration and submits: receipt number
    firm_page.goto(f"{base}/applications/apply/")
    firm_page.get_by_role("button", name=f"申报“{CATEGORY}”").click()
    firm_page.wait_for_url(re.compile(r".*/applications/\d+/edit/"))
    firm_page.get_by_label("项目名称").fill(PROJECT)
    firm_page.get_by_label("建设性质").select_option(label="技术改造")
    firm_page.get_by_label("建设地点").fill("郑州市中原区测试大道1号")
    firm_page.get_by_label("开工日期").fill("2021-03-01")
    firm_page.get_by_label("竣工日期").fill("2021-12-31")
    firm_page.get_by_label("项目总投资（万元）").fill("3000")
    firm_page.get_by_label("符合条件投资（万元）").fill("2500")
    firm_page.get_by_label("设备投资（万元）").fill("2000")
    firm_page.get_by_label("申请奖补金额（万元）").fill("200")
    firm_page.get_by_label("项目建设内容").fill("购置智能化设备，建设数字化车间。")
    firm_page.get_by_label("预期成效").fill("生产效率提升30%。")
    firm_page.locator("input[type=file]").first.set_input_files(str(pdf))
    firm_page.get_by_role("button", name="保存草稿").click()
    expect(firm_page.get_by_text("草稿已保存")).to_be_visible()
    expect(firm_page.locator(".slot").first).to_contain_text("项目备案文件.pdf")
    firm_page.get_by_role("button", name="保存并检查提交").click()
    firm_page.get_by_label(re.compile("我已阅读承诺书")).check()
    firm_page.get_by_role("button", name="提交申报").click()
    expect(firm_page.get_by_text("提交成功")).to_be_visible()
    application = Application.objects.get(enterprise__credit_code=CREDIT_CODE)
    assert application.status == Status.SUBMITTED and application.receipt_no == "2021-ZY-0001"
    expect(firm_page.get_by_text("2021-ZY-0001").first).to_be_visible()
    snap(firm_page, "enterprise-submitted")
    receipt = application.receipt_no

    # 5. the county accepts and forwards it
    county_page = browser_login(browser, base, county)
    county_page.goto(f"{base}/applications/")
    county_page.get_by_role("link", name=receipt).click()
    county_page.get_by_role("button", name="受理", exact=True).click()
    expect(county_page.locator(".badge-status").first).to_have_text("县区已受理")
    county_page.locator("#rank-forward").fill("1")
    county_page.locator("#note-forward").fill("材料齐全，符合申报条件，同意推荐。")
    county_page.get_by_role("button", name="确认：推荐上报").click()
    expect(county_page.locator(".badge-status").first).to_have_text("已推荐上报")
    snap(county_page, "county-forwarded")

    # 6. the city accepts it centrally and qualifies it
    city_page.goto(f"{base}/applications/?status=forwarded")
    city_page.get_by_role("link", name=receipt).click()
    city_page.get_by_role("button", name="集中受理").click()
    expect(city_page.locator(".badge-status").first).to_have_text("市级已受理")
    city_page.get_by_role("button", name="资格审核通过").click()
    expect(city_page.locator(".badge-status").first).to_have_text("资格审核通过")
    snap(city_page, "city-qualified")

    # 7. the city sets two experts per application, the rubric, forms the panel, assigns, opens scoring
    city_page.goto(f"{base}/reviews/rounds/{round_.pk}/settings/")
    city_page.locator("#id_experts_per_application").fill("2")
    city_page.get_by_role("button", name=zh("Save")).click()
    city_page.wait_for_url(re.compile(rf"/reviews/rounds/{round_.pk}/$"))
    city_page.get_by_role("link", name=zh("Rubric")).first.click()
    if city_page.get_by_role("button", name=zh("Start from the usual five criteria")).count():
        city_page.get_by_role("button", name=zh("Start from the usual five criteria")).click()
    city_page.goto(f"{base}/reviews/rounds/{round_.pk}/")
    city_page.get_by_role("link", name=zh("Form a panel")).first.click()
    for expert in experts:
        city_page.get_by_label(expert.name).check()
    city_page.locator("select[name=chair]").select_option(str(experts[0].pk))
    city_page.get_by_role("button", name=zh("Save")).click()
    city_page.wait_for_url(re.compile(r"/reviews/panels/\d+/$"))
    city_page.get_by_role("button", name=zh("Assign automatically")).click()
    city_page.get_by_role("button", name=zh("Open scoring")).click()
    expect(city_page.get_by_role("button", name=zh("Close the panel"))).to_be_visible()
    panel_url = city_page.url
    snap(city_page, "city-panel-open")

    # 8. each expert declares no conflict and scores
    criteria = list(round_.categories.get().rubric.criteria.order_by("order"))
    sheets = ((["24", "22", "16", "13", "8"], "83.00"), (["22", "20.5", "15", "12", "8"], "77.50"))
    for expert, (points, total) in zip(experts, sheets, strict=True):
        page = browser_login(browser, base, expert.user)
        page.goto(f"{base}/reviews/my/")
        page.get_by_role("link", name="声明", exact=True).first.click()
        page.wait_for_url(re.compile(r"/declare/$"))
        page.get_by_label("本人与该申报单位不存在利益冲突").check()
        page.get_by_role("button", name="提交声明").click()
        page.wait_for_url(re.compile(r"/score/$"))
        for criterion, value in zip(criteria, points, strict=True):
            page.get_by_label(criterion.name).fill(value)
        expect(page.locator(".js-total")).to_have_text(total)
        page.get_by_label("评审意见").fill("技术路线清晰，投资测算合理。")
        page.get_by_role("button", name="提交并锁定").click()
        page.wait_for_url(re.compile(r"/reviews/my/$"))
        expect(page.get_by_text("评分已提交并锁定")).to_be_visible()
        snap(page, f"expert-{expert.name}-scored")
        page.context.close()

    # 9. the city closes the panel and gives the application to the audit firm
    city_page.goto(panel_url)
    city_page.get_by_role("button", name=zh("Close the panel")).click()
    city_page.goto(f"{base}/reviews/rounds/{round_.pk}/audits/")
    city_page.locator("select[name=firm]").select_option(label=auditor.organisation.name)
    city_page.get_by_label(receipt).check()
    city_page.get_by_role("button", name=zh("Give to the firm")).click()
    expect(city_page.locator("tbody tr").first).to_contain_text(auditor.organisation.name)
    application.refresh_from_db()
    assert application.status == Status.REVIEWED and application.audit.firm == auditor.organisation
    snap(city_page, "city-audit-assigned")

    # 10. the auditor enters the audit and submits it
    audit_page = browser_login(browser, base, auditor)
    audit_page.goto(f"{base}/reviews/audits/")
    expect(audit_page.locator("main")).to_contain_text(FIRM)
    audit_page.get_by_role("link", name=zh("Enter")).first.click()
    audit_page.locator("#id_audited_investment").fill("2000")
    audit_page.locator("#id_audited_amount").fill("200")
    audit_page.locator("#id_opinion").fill("经审计，设备投资真实，同意按2000万元计算。")
    audit_page.locator("#id_report").set_input_files(str(report_pdf))
    audit_page.get_by_role("button", name=zh("Submit the audit")).click()
    expect(audit_page.locator(".alert-success")).to_contain_text("审计已提交")
    expect(audit_page.locator("tbody tr").first).to_contain_text("2,000.00")
    application.refresh_from_db()
    assert application.status == Status.AUDITED, application.status
    snap(audit_page, "auditor-submitted")

    # 11. city staff publish the publicity list
    city_page.goto(f"{base}/reviews/publicity/")
    city_page.get_by_role("button", name=zh("Create draft")).click()
    city_page.wait_for_url(re.compile(r"/reviews/publicity/\d+/$"))
    city_page.get_by_role("button", name=zh("Publish"), exact=True).click()
    publicity = Publicity.objects.get()
    assert publicity.status == "published"
    expect(city_page.get_by_text(FIRM).first).to_be_visible()
    publicity_url = city_page.url
    snap(city_page, "city-publicity-published")

    # 12. a visitor reads it (200.00 万元) and files an objection
    reader = visitor(browser)
    reader.goto(f"{base}/public/publicity/")
    reader.get_by_role("link", name=publicity.title).click()
    expect(reader.locator("table")).to_contain_text("200.00")
    expect(reader.locator("table")).to_contain_text(FIRM)
    reader.locator("#id_name").fill("钱三")
    reader.locator("#id_contact").fill("13700000000")
    reader.locator("#id_text").fill("该企业设备是否已全部到位，请核实。")
    reader.get_by_role("button", name=zh("Submit the objection")).click()
    expect(reader.locator(".alert-success, .alert-info").first).to_be_visible()
    snap(reader, "visitor-objection")
    reader.context.close()

    # 13. city staff reject the objection; the period is over (dates moved back); the publicity closes
    city_page.goto(publicity_url)
    city_page.get_by_label(re.compile(zh("Rejected: the entry stays on the list"))).check()
    city_page.get_by_label(zh("How it was handled")).fill("经现场核查，设备已全部到位，异议不成立。")
    city_page.get_by_role("button", name=zh("Record the handling")).click()
    expect(city_page.get_by_text(zh("Handled")).first).to_be_visible()
    today = timezone.localdate()
    Publicity.objects.filter(pk=publicity.pk).update(starts_on=today - timedelta(days=10),
                                                     ends_on=today - timedelta(days=1))
    city_page.goto(publicity_url)
    city_page.get_by_role("button", name=zh("Close the publicity")).click()
    publicity.refresh_from_db()
    assert publicity.status == "closed", publicity.status
    application.refresh_from_db()
    assert application.status == Status.PUBLICITY_PASSED, application.status
    snap(city_page, "city-publicity-closed")

    # 14. city staff propose the support list to the finance bureau
    city_page.goto(f"{base}/reviews/support/")
    city_page.get_by_role("button", name=zh("Draft the list")).click()
    city_page.wait_for_url(re.compile(r"/reviews/support/\d+/$"))
    expect(city_page.get_by_text(FIRM).first).to_be_visible()
    city_page.get_by_role("button", name=zh("Send to the finance bureau")).click()
    support_url = city_page.url
    snap(city_page, "city-support-proposed")

    # 15. the finance approver approves the support list
    approver_page = browser_login(browser, base, approver)
    approver_page.goto(support_url)
    approver_page.get_by_role("button", name=zh("Approve")).click()
    expect(approver_page.get_by_text(zh("approved by")).first).to_be_visible()
    application.refresh_from_db()
    assert application.status == Status.BUDGET_LISTED, application.status
    snap(approver_page, "finance-support-approved")

    # the second project of the call (the clawback's) is on the approved list too, with its commitment
    second = money_factories.commitment("1000000.00", application=money_factories.budget_listed_application(
        round=round_, category=application.category, project_name=PROJECT2,
        enterprise=ProfiledEnterpriseFactory(name=FIRM2, county=zhongyuan)))

    # 16. the preparer builds a batch of both and submits it; the approver (another person) approves it
    prep = browser_login(browser, base, preparer)
    prep.goto(f"{base}/disbursements/batches/new/")
    prep.get_by_label(FIRM, exact=True).check()
    expect(prep.locator("#selected-total")).to_have_text("2,000,000.00")
    prep.get_by_label(FIRM2, exact=True).check()
    expect(prep.locator("#selected-total")).to_have_text("3,000,000.00")
    prep.get_by_role("button", name="生成批次").click()
    prep.wait_for_url(re.compile(r"/disbursements/batches/\d+/$"))
    prep.get_by_role("button", name="提交审核").click()
    expect(prep.get_by_text("已提交审核").first).to_be_visible()
    assert prep.get_by_role("button", name="审核通过").count() == 0
    batch_url = prep.url
    snap(prep, "preparer-batch-submitted")
    approver_page.goto(batch_url)
    approver_page.get_by_role("button", name="审核通过").click()
    expect(approver_page.get_by_text("已审核通过 2 笔付款")).to_be_visible()
    snap(approver_page, "approver-batch-approved")
    payment = Payment.objects.get(commitment__application=application)
    assert payment.approved_by == approver and payment.amount == 2000000

    # 17. the preparer sends it, downloads the bank file and uploads the bank's return: paid
    prep.reload()
    prep.get_by_role("button", name="发送银行").click()
    expect(prep.get_by_text("已标记发送 2 笔付款")).to_be_visible()
    with prep.expect_download() as download:
        prep.get_by_role("link", name=re.compile("下载银行代发文件")).click()
    returned = tmp_path / "银行回单.xlsx"
    returned.write_bytes(bank_return(download.value.path().read_bytes(), ["ICBC20211201001", "ICBC20211201002"]))
    prep.get_by_role("link", name="上传银行回单").click()
    prep.locator("input[name=file]").set_input_files(str(returned))
    prep.get_by_role("button", name="校验并登记").click()
    prep.wait_for_url(re.compile(r"/disbursements/reconciliations/\d+/$"))
    expect(prep.get_by_text("已入账 2 行")).to_be_visible()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert Payment.objects.get(commitment=second).status == PaymentStatus.PAID
    snap(prep, "preparer-reconciled-paid")
    # finance records the year's original budget (58,000 万元): the report's funds paragraph rests on it
    prep.goto(f"{base}/disbursements/budget/?year=2021")
    prep.locator("select#id_fund_year").select_option("2021")
    prep.locator("#id_kind").select_option("original")
    prep.locator("#id_amount").fill("580000000")
    prep.locator("#id_date").fill(timezone.localdate().isoformat())
    prep.get_by_role("button", name=zh("Record"), exact=True).click()
    expect(prep.get_by_text(zh("Budget figure recorded."))).to_be_visible()

    # 18. the enterprise sees the payment
    firm_page.goto(f"{base}/disbursements/my/")
    expect(firm_page.get_by_text(payment.bank_reference)).to_be_visible()
    expect(firm_page.get_by_text("已拨付").first).to_be_visible()
    expect(firm_page.locator("main")).to_contain_text("200.00")
    snap(firm_page, "enterprise-sees-payment")

    run_acceptance(base, browser, snap, firm_page, county_page, city_page, application.commitment,
                   [completion_pdf, photo])
    run_clawback(base, browser, snap, county_page, city_page, city2, prep, second, completion_pdf)

    # 19. city staff open a satisfaction survey for the funded enterprise; it answers
    city_page.goto(f"{base}/evaluation/2021/surveys/new/")
    city_page.locator("input[name=scope][value=selected]").check()
    city_page.locator("select[name=organisations]").select_option(label=FIRM)
    city_page.get_by_role("button", name=zh("Create survey")).click()
    city_page.get_by_role("button", name=zh("Open the survey")).click()
    expect(city_page.get_by_role("button", name=zh("Open the survey"))).to_have_count(0)
    firm_page.goto(f"{base}/evaluation/surveys/")
    firm_page.get_by_role("link", name=re.compile(zh("Please answer"))).first.click()
    # .all() does not wait: let the questionnaire load before listing its questions
    expect(firm_page.get_by_role("button", name=zh("Submit answers"))).to_be_visible()
    assert firm_page.locator("fieldset").count() >= 6
    for group in firm_page.locator("fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
    firm_page.get_by_role("button", name=zh("Submit answers")).click()
    expect(firm_page.get_by_text(zh("Thank you. Your answers were recorded."))).to_be_visible()
    assert SurveyResponse.objects.filter(organisation=application.enterprise).count() == 1
    snap(firm_page, "enterprise-answered-survey")

    # 20. an official generates and downloads the evaluation report PDF
    off = browser_login(browser, base, official)
    off.get_by_role("link", name="绩效评价").first.click()
    off.get_by_role("link", name="2021年度绩效自评").click()
    off.get_by_role("link", name="评价报告").click()
    off.get_by_role("button", name="生成报告").click()
    download_link = off.get_by_role("link", name="下载报告")
    download_link.wait_for(timeout=60_000)
    with off.expect_download() as report:
        download_link.click()
    target = tmp_path / "report.pdf"
    report.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 50_000
    assert report.value.suggested_filename.endswith(".pdf")
    snap(off, "official-report")
    # the funds paragraph: spending is what was paid (300.00 万元, the refund is not netted against it), and the
    # clawback with what was refunded as returned funds and what is outstanding
    text = "".join(pdf_text(target.read_bytes()).split())
    assert "58,000.00" in text and "实际支出300.00万元" in text, text
    assert "决定追回资金1个项目，应追回60.00万元；已退回25.00万元（作为追回退库资金），尚欠35.00万元" in text, text
    assert "收回资金（追回奖补资金的退款）：25.00万元，单独列示，不冲减实际支出" in text, text

