"""XSS through every free-text field of the applications app, into every page that shows it, the application PDF
and the exports.

- The call as the city writes it (title, notice, category name and description, award-rule explanation, material
  name and explanation) on the PUBLIC pages, the enterprise's pre-check page and the city's own pages. The notice is
  plain text: raw HTML, javascript: links and markdown links never become markup.
- The county's and the city's reasons and opinions shown to the enterprise (return, decline, qualification,
  re-review, history notes), file names, and the draft's own fields on the draft, submit and detail pages.
- The application PDF shows the payload literally (checked with pdftotext) and the exports hold no formula."""


import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from applications.models import Attachment, AwardRule, QualificationDecision
from applications.services import application_submit
from applications.workflow import Status
from core.audit import audit_record
from tests.factories import MaterialFactory, ProfiledEnterpriseFactory, RoundFactory, UserFactory
from tests.factories.applications import application_in, attach_required, browser, category_with_rules, enterprise_user
from tests.helpers import needs_pdftotext, pdf_text, xlsx_cells
from tests.security.xss import XSS, assert_escaped

pytestmark = pytest.mark.django_db

NOTICE = (XSS + '\n<a href="javascript:alert(2)">点此</a>\n[点我](javascript:alert(3))\n'
          '<a href="http://evil.example/phish">官方链接</a>\n<iframe src="http://evil.example"></iframe>')
FORMULAS = ('=HYPERLINK("http://evil","点")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0")


@pytest.fixture
def hostile_call():
    """A published, open call whose every free text carries the payload."""
    round_ = RoundFactory(title=f"2021年度{XSS}", notice=NOTICE)
    category = category_with_rules(round=round_, name=f"类别{XSS}", description=XSS)
    AwardRule.objects.filter(category=category).update(description=XSS)
    MaterialFactory(category=category, name=f"材料{XSS}"[:100], description=XSS, allowed_types=["pdf"])
    return round_


def test_call_texts_are_escaped_on_the_public_pages(client, hostile_call):
    assert_escaped(client.get(reverse("public:calls")))
    body = assert_escaped(client.get(reverse("public:call", args=[hostile_call.year])))
    assert "&lt;iframe" in body and "<iframe" not in body
    assert "[点我](javascript:alert(3))" in body  # markdown is not rendered: shown as the text it is


def test_call_texts_are_escaped_on_the_enterprise_and_city_pages(hostile_call):
    category = hostile_call.categories.get()
    enterprise = browser(enterprise_user(ProfiledEnterpriseFactory()))
    assert_escaped(enterprise.get(reverse("applications:apply")))
    city = browser(Role.CITY)
    for url in (reverse("applications:calls"), reverse("applications:call_detail", args=[hostile_call.pk]),
                reverse("applications:call_edit", args=[hostile_call.pk]),
                reverse("applications:category_edit", args=[hostile_call.pk, category.pk])):
        assert_escaped(city.get(url))


@pytest.fixture
def decided(hostile_call):
    """Applications of one enterprise in the hostile call, each showing a decision text to the enterprise."""
    category = hostile_call.categories.get()
    enterprise = ProfiledEnterpriseFactory(county=County.objects.get(name="中原区"))
    common = {"category": category, "enterprise": enterprise, "project_name": XSS, "location": XSS,
              "description": XSS, "expected_outcomes": XSS, "other_subsidy": True, "other_subsidy_detail": XSS}
    apps = {
        "returned": application_in(Status.RETURNED, return_reason=XSS, **common),
        "declined": application_in(Status.DECLINED, county_opinion=XSS, county_rank=1, **common),
        "disqualified": application_in(Status.DISQUALIFIED, re_review_reason=XSS, **common),
    }
    city = UserFactory.for_role(Role.CITY)
    QualificationDecision.objects.create(application=apps["disqualified"], decision="disqualified", reasons=XSS,
                                         actor=city)
    for app in apps.values():
        audit_record(actor=city, action="application.note", obj=app, note=XSS)
    user = enterprise_user(enterprise)
    material = category.materials.first()
    Attachment.objects.create(application=apps["returned"], material=material, file="applications/x.pdf",
                              original_name=f"{XSS}.pdf"[:150], sha256="0" * 64, size=10,
                              content_type="application/pdf", file_type="pdf", uploaded_by=user)
    apps["user"] = user
    return apps


def test_decision_texts_are_escaped_on_the_enterprises_pages(decided):
    client = browser(decided["user"])
    for name in ("returned", "declined", "disqualified"):
        assert_escaped(client.get(reverse("applications:detail", args=[decided[name].pk])))
    returned = decided["returned"]
    assert_escaped(client.get(reverse("applications:edit", args=[returned.pk])))
    assert_escaped(client.get(reverse("applications:submit", args=[returned.pk])))
    assert_escaped(client.get(reverse("applications:list")))
    assert_escaped(client.get(reverse("applications:apply")))


def test_decision_texts_are_escaped_on_the_county_and_city_pages(decided):
    county = browser(UserFactory.for_role(Role.COUNTY, county=County.objects.get(name="中原区")))
    city = browser(Role.CITY)
    for client in (county, city):
        assert_escaped(client.get(reverse("applications:list")))
        for name in ("returned", "declined", "disqualified"):
            assert_escaped(client.get(reverse("applications:detail", args=[decided[name].pk])))


def test_typed_payload_is_escaped_when_the_draft_form_is_shown_again():
    app = application_in(Status.DRAFT)
    client = browser(enterprise_user(app))
    response = client.post(reverse("applications:edit", args=[app.pk]), {
        "version": app.version, "project_name": XSS, "location": XSS, "description": XSS,
        "total_investment": XSS[:30]})  # invalid amount: the form is shown again with what was typed
    body = assert_escaped(response)
    assert body.count("&lt;script&gt;alert(1)") >= 3


@pytest.fixture
def submitted_hostile(hostile_call):
    enterprise = ProfiledEnterpriseFactory(
        name=f"企业{XSS}", legal_representative=XSS[:50], contact_person=XSS[:50], address=XSS,
        bank_account_name=f"企业{XSS}", bank_name=XSS)
    app = application_in(Status.DRAFT, category=hostile_call.categories.get(), enterprise=enterprise,
                         project_name=XSS, location=XSS, description=XSS, expected_outcomes=XSS, other_subsidy=True,
                         other_subsidy_detail=XSS)
    user = enterprise_user(app)
    for material in app.category.materials.all():
        material.required = True
        material.save()
    attach_required(app, user)
    application_submit(application=app, actor=user, declaration=True)
    app.refresh_from_db()
    app.user = user
    return app


@needs_pdftotext
def test_the_application_pdf_shows_the_payload_as_literal_text(submitted_hostile):
    response = browser(submitted_hostile.user).get(reverse("applications:pdf", args=[submitted_hostile.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content, layout=True)
    flat = "".join(text.split())  # long values wrap across lines in the PDF
    assert "<script>alert(1)</script><imgsrc=xonerror=alert(1)>" in flat
    assert flat.count("<script>alert(1)</script>") >= 5  # project, location, description, outcomes, enterprise
    assert "&lt;" not in text  # escaped once, not twice


def test_exports_of_hostile_texts_hold_no_formula(hostile_call):
    category = hostile_call.categories.get()
    category.name = FORMULAS[0]
    category.save()
    for value in FORMULAS:
        enterprise = ProfiledEnterpriseFactory(name=f"{value}公司", county=County.objects.get(name="中原区"))
        application_in(Status.SUBMITTED, category=category, enterprise=enterprise, project_name=value)
    city = browser(Role.CITY)
    for name in ("applications:export", "applications:summary"):
        response = city.get(reverse(name))
        assert response.status_code == 200
        cells = xlsx_cells(response)
        assert not [c.coordinate for c in cells if c.data_type == "f"], name
        texts = [c.value for c in cells if isinstance(c.value, str)]
        if name == "applications:export":
            assert any("公司" in t and t.lstrip("'")[:1] in "=+-@" for t in texts)  # the value is there, as text
