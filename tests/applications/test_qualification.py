"""The city's qualification review and the one re-review: separation of duties (the re-review is decided by a
city user other than the first decider) and the documents the enterprise attaches to its request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.models import Application, ReReviewEvidence
from applications.services import (
    UploadRefused,
    application_disqualify,
    application_qualify,
    application_request_re_review,
)
from applications.workflow import Status
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF, application_in, enterprise_user
from tests.helpers import media_files

pytestmark = pytest.mark.django_db


def disqualified_by(first):
    app = application_in(Status.CITY_ACCEPTED)
    return application_disqualify(application=app, actor=first, note="设备购置发生在政策规定期限之外。")


def pdf(name="补充证明.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_first_decider_may_not_decide_the_re_review_a_colleague_may():
    first, colleague = UserFactory(role=Role.CITY), UserFactory(role=Role.CITY)
    app = disqualified_by(first)
    app = application_request_re_review(application=app, actor=enterprise_user(app), note="已补充发票原件")
    for decide in (application_qualify, application_disqualify):
        with pytest.raises(TransitionNotAllowed) as excinfo:
            decide(application=Application.objects.get(pk=app.pk), actor=first, note="复审意见")
        assert str(excinfo.value.message) == "复审须由首次审核人以外的市级用户作出。"
    app.refresh_from_db()
    assert app.status == Status.RE_REVIEW
    assert app.qualification_decisions.count() == 1
    moved = application_qualify(application=app, actor=colleague, note="补充材料证明设备购置时间符合要求。")
    assert moved.status == Status.QUALIFIED
    decision = moved.qualification_decisions.get(is_re_review=True)
    assert decision.actor == colleague
    assert AuditLog.objects.filter(object_id=str(app.pk), action="application.qualify", actor=colleague).exists()


def test_the_detail_page_offers_the_re_review_decision_only_to_other_city_users(client_for):
    first, colleague = UserFactory(role=Role.CITY), UserFactory(role=Role.CITY)
    app = disqualified_by(first)
    application_request_re_review(application=app, actor=enterprise_user(app), note="已补充发票原件")
    url = reverse("applications:detail", args=[app.pk])
    own = client_for(first).get(url).content.decode()
    assert 'value="qualify"' not in own and 'value="disqualify"' not in own
    assert "复审须由首次审核人以外的市级用户作出" in own
    other = client_for(colleague).get(url).content.decode()
    assert 'value="qualify"' in other and 'value="disqualify"' in other
    assert "复审须由首次审核人以外的市级用户作出" not in other


def test_the_re_review_request_stores_its_documents_checked_by_content():
    app = disqualified_by(UserFactory(role=Role.CITY))
    moved = application_request_re_review(application=app, actor=enterprise_user(app), note="补充证明",
                                           files=[pdf("发票原件.pdf"), pdf("../../合同.PDF", MINIMAL_PDF + b"%x")])
    assert moved.status == Status.RE_REVIEW
    names = sorted(ReReviewEvidence.objects.filter(application=app).values_list("original_name", flat=True))
    assert names == ["发票原件.pdf", "合同.PDF"]
    entry = AuditLog.objects.get(object_id=str(app.pk), action="application.request_re_review")
    assert entry.data == {"evidence_files": 2}


def test_a_bad_document_refuses_the_whole_request_and_stores_nothing(settings):
    app = disqualified_by(UserFactory(role=Role.CITY))
    before = media_files(settings)
    with pytest.raises(UploadRefused) as excinfo:
        application_request_re_review(application=app, actor=enterprise_user(app), note="补充证明",
                                      files=[pdf(), SimpleUploadedFile("说明.pdf", b"MZ\x90\x00" + b"\x00" * 200)])
    assert "说明.pdf" in excinfo.value.messages[0] and "可执行程序" in excinfo.value.messages[0]
    app.refresh_from_db()
    assert app.status == Status.DISQUALIFIED and not app.re_review_reason
    assert not ReReviewEvidence.objects.exists()
    assert media_files(settings) == before


def test_the_enterprise_requests_with_documents_and_a_refused_file_keeps_the_typed_reason(client_for):
    app = disqualified_by(UserFactory(role=Role.CITY))
    client = client_for(enterprise_user(app))
    url = reverse("applications:re_review", args=[app.pk])
    page = client.get(url).content.decode()
    assert "申请复审的理由" in page and "证明材料" in page and "企业可见" not in page
    reason = "企业已补充提供设备发票原件，购置时间在政策期限内。"
    response = client.post(url, {"note": reason, "version": app.version,
                                 "evidence": [SimpleUploadedFile("发票.pdf", b"<html><script>x</script></html>")]})
    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body and "发票.pdf" in body and "HTML" in body
    app.refresh_from_db()
    assert app.status == Status.DISQUALIFIED
    response = client.post(url, {"note": reason, "version": app.version, "evidence": [pdf("发票.pdf")]})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.RE_REVIEW and app.re_review_reason == reason


def test_staff_download_the_documents_in_scope_and_others_get_404(client_for):
    app = disqualified_by(UserFactory(role=Role.CITY))
    application_request_re_review(application=app, actor=enterprise_user(app), note="补充证明",
                                  files=[pdf("发票原件.pdf")])
    evidence = ReReviewEvidence.objects.get()
    url = reverse("applications:evidence_download", args=[app.pk, evidence.pk])
    city = client_for(UserFactory(role=Role.CITY))
    detail = city.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert url in detail and "发票原件.pdf" in detail
    response = city.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == MINIMAL_PDF
    assert "attachment" in response["Content-Disposition"]
    other = application_in(Status.DISQUALIFIED)
    assert city.get(reverse("applications:evidence_download", args=[other.pk, evidence.pk])).status_code == 404
    stranger = client_for(enterprise_user(other))
    assert stranger.get(url).status_code == 404
    county_elsewhere = UserFactory(role=Role.COUNTY, county=other.county)
    if other.county_id != app.county_id:
        assert client_for(county_elsewhere).get(url).status_code == 404


def test_the_re_review_button_goes_once_the_re_review_was_decided_read_from_the_pages_own_decisions(
        client_for, django_assert_max_num_queries, django_assert_num_queries):
    """A disqualified application offers its enterprise the one re-review; once a re-review was decided (even
    when the reason was later cleared) the button is gone. The page reads that from the decisions it lists
    anyway, in as many statements as before the re-review."""
    app = disqualified_by(UserFactory(role=Role.CITY))
    client = client_for(enterprise_user(app))
    url = reverse("applications:detail", args=[app.pk])
    re_review = reverse("applications:re_review", args=[app.pk])
    client.get(url)
    with django_assert_max_num_queries(8 + 2) as before:  # the page's target (make bench) + the savepoint pair
        page = client.get(url).content.decode()
    assert re_review in page
    # the decisions come with the page's one read of its lists (a UNION, or a prepared statement on PostgreSQL)
    asking_again = [q["sql"] for q in before.captured_queries
                    if "qualificationdecision" in q["sql"] and "UNION" not in q["sql"]]
    assert asking_again == []
    app.qualification_decisions.update(is_re_review=True)
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert re_review not in page
    assert client.get(re_review).status_code == 302  # back to the page, with the reason why
