"""The re-review in Chromium: the enterprise (at phone width) asks for it with its reasons and a document, a
refused file keeps what it typed; the first decider is told the decision is a colleague's, who downloads the
document and decides. The page has no serious accessibility violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.roles import Role
from applications.models import Application, ReReviewEvidence
from applications.services import application_disqualify
from applications.workflow import Status
from tests.e2e.test_applications_flow import log_in
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF, application_in, ensure_counties, enterprise_user
from tests.helpers import totp_device


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_re_review_with_a_document_decided_by_another_city_user(live_server, browser, artifacts, tmp_path):
    ensure_counties()
    first, colleague = UserFactory(role=Role.CITY), UserFactory(role=Role.CITY, first_name="韩科长")
    app = application_disqualify(application=application_in(Status.CITY_ACCEPTED), actor=first,
                                 note="设备购置发生在政策规定期限之外。")
    owner = enterprise_user(app)
    base = live_server.url
    bad, good = tmp_path / "发票.pdf", tmp_path / "发票原件.pdf"
    bad.write_bytes(b"<html><script>alert(1)</script></html>")
    good.write_bytes(MINIMAL_PDF)
    reason = "企业已补充提供设备发票原件，购置时间在政策期限内。"

    page = log_in(browser, base, owner.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_role("link", name="申请复审", exact=True).click()
    page.wait_for_url(re.compile(r"/re-review/$"))
    found = [v for v in Axe().run(page).response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert found == [], found
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("申请复审的理由").fill(reason)
    page.get_by_label("证明材料").set_input_files(str(bad))
    page.get_by_role("button", name="提交复审申请").click()
    page.get_by_text("发票.pdf").first.wait_for()
    assert page.get_by_label("申请复审的理由").input_value() == reason
    assert Application.objects.get(pk=app.pk).status == Status.DISQUALIFIED
    page.get_by_label("证明材料").set_input_files(str(good))
    page.get_by_role("button", name="提交复审申请").click()
    page.wait_for_url(re.compile(rf"/applications/{app.pk}/$"))
    page.screenshot(path=str(artifacts / "re-review-1-requested.png"), full_page=True)
    assert Application.objects.get(pk=app.pk).status == Status.RE_REVIEW
    assert ReReviewEvidence.objects.filter(application=app).count() == 1
    page.close()

    staff = log_in(browser, base, first.username, device=totp_device(first))
    staff.goto(f"{base}/applications/{app.pk}/")
    staff.get_by_text("复审须由首次审核人以外的市级用户作出").wait_for()
    assert staff.get_by_role("button", name="资格审核通过").count() == 0
    staff.close()

    other = log_in(browser, base, colleague.username, device=totp_device(colleague))
    other.goto(f"{base}/applications/{app.pk}/")
    with other.expect_download() as download:
        other.get_by_role("link", name="发票原件.pdf").click()
    assert download.value.suggested_filename == "发票原件.pdf"
    other.get_by_role("button", name="资格审核通过").click()
    other.get_by_text("已办理").first.wait_for()
    other.screenshot(path=str(artifacts / "re-review-2-decided.png"), full_page=True)
    assert Application.objects.get(pk=app.pk).status == Status.QUALIFIED
    assert app.qualification_decisions.get(is_re_review=True).actor == colleague
