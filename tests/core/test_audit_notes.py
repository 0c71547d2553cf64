"""How audit rows read: structured data through the registered note formats (amounts in 万元, people by name and
organisation, technical detail for administrators only), the state change as labels, older English notes as
written, the audit log page at a fixed number of queries, its action filter by label."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.workflow import Status
from core.audit import audit_record, register_note_formats
from core.audit_notes import action_choices, annotate, choice_format, render_note, state_change
from core.models import AuditLog
from tests.factories import EnterpriseFactory, UserFactory, county
from tests.factories.applications import application_in, category_with_rules
from tests.factories.reviews import with_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def formats():
    from django.utils.translation import gettext_lazy

    register_note_formats({
        "test.paid": gettext_lazy("Changed: %(fields)s"),
        "test.choice": choice_format("how", {"automatic": gettext_lazy("Assigned automatically")}),
        "test.optional": (gettext_lazy("Audit firm: %(previous_firm)s → %(firm)s"),
                          gettext_lazy("Audit firm: %(firm)s")),
    })
    yield
    from core.audit import NOTE_FORMATS

    for code in ("test.paid", "test.choice", "test.optional"):
        NOTE_FORMATS.pop(code, None)


def test_amounts_people_and_counts_read_in_chinese_and_technical_detail_only_on_request():
    enterprise = EnterpriseFactory(name="郑州精工机械有限公司")
    clerk = UserFactory(role=Role.ENTERPRISE, organisation=enterprise, first_name="王芳", username="wangfang88")
    officer = UserFactory(role=Role.COUNTY, county=county("中原区"), first_name="李强", username="liqiang")
    row = audit_record(actor=officer, action="audit.saved", obj=enterprise, data={
        "audited_investment_yuan": "185430000.00", "audited_amount_yuan": "2000000.00", "tech_report_sha256": "ab12"})
    added = audit_record(actor=clerk, action="enterprise.add_user", obj=clerk, data={"added_user": officer.pk})
    with translation.override("zh-hans"):
        assert render_note(row) == "审定投资额 18,543.00 万元，审定金额 200.00 万元"
        assert render_note(row, technical=True).endswith("report_sha256: ab12")
        assert render_note(added) == "添加用户：李强（中原区）"
        [shown] = annotate([added])
        assert shown.actor_label == "王芳（郑州精工机械有限公司）" and "wangfang88" not in shown.actor_label
        assert shown.tech_text == ""
    with translation.override("en"):
        english = render_note(row)
        assert english.startswith("Audited investment 18,543.00") and "audited amount 200.00" in english
        assert "ab12" not in english


def test_a_typed_note_follows_the_facts_and_an_older_english_note_is_shown_as_written():
    city = UserFactory(role=Role.CITY, first_name="赵敏")
    typed = audit_record(actor=city, action="support_list.entry_removed", note="资料不全",
                         data={"enterprise": "郑州精工机械有限公司", "amount_yuan": "500000.00"})
    legacy = AuditLog.objects.create(actor=city, action="batch.approve", note="3 payments")
    with translation.override("zh-hans"):
        assert render_note(typed) == "郑州精工机械有限公司（50.00 万元）；资料不全"
        assert render_note(legacy) == "3 payments"  # history is never rewritten


def test_field_names_alternatives_and_choices(formats):
    city = UserFactory(role=Role.CITY)
    enterprise = EnterpriseFactory()
    fields = audit_record(actor=city, action="test.paid", obj=enterprise, data={"fields": ["bank_account_no"]})
    one = audit_record(actor=city, action="test.optional", data={"firm": "甲会计师事务所"})
    two = audit_record(actor=city, action="test.optional", data={"firm": "甲会计师事务所", "previous_firm": "乙所"})
    chosen = audit_record(actor=city, action="test.choice", data={"how": "automatic"})
    unknown = audit_record(actor=city, action="test.choice", data={"how": "elsewhere"})
    with translation.override("zh-hans"):
        assert render_note(fields) == "修改了：银行账号"
        assert render_note(one) == "审计机构：甲会计师事务所"
        assert render_note(two) == "审计机构：乙所 → 甲会计师事务所"
        assert render_note(chosen) == "系统自动分配"
        assert render_note(unknown) == ""


def test_the_state_change_reads_as_labels_once_and_never_shows_amounts():
    app = application_in(Status.DISQUALIFIED)
    city = UserFactory(role=Role.CITY)
    moved = audit_record(actor=city, action="application.request_re_review", obj=app, from_state="disqualified",
                         to_state="re_review")
    same = audit_record(actor=city, action="application.disqualify", obj=app, from_state="re_review",
                        to_state="disqualified")
    repeated = audit_record(actor=city, action="application.save_draft", obj=app, from_state="draft", to_state="draft")
    amount = audit_record(actor=city, action="award.computed", obj=app, to_state="2000000.00")
    with translation.override("zh-hans"):
        labels = dict(Status.choices)
        assert state_change(moved) == f"{labels['disqualified']} → {labels['re_review']}"
        assert state_change(repeated) == str(labels["draft"])
        assert state_change(amount) == ""
        text = state_change(same)
        assert text.count(str(labels["disqualified"])) == 1


def test_the_audit_log_page_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    client = client_for(Role.CITY)

    def write(count):
        for number in range(count):
            person = UserFactory(role=Role.ENTERPRISE, organisation=EnterpriseFactory(), first_name=f"张{number}")
            audit_record(actor=person, action="enterprise.add_user", obj=person, data={"added_user": person.pk})

    write(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("core:audit_log")).status_code == 200
    write(20)
    with django_assert_max_num_queries(len(few)):
        html = client.get(reverse("core:audit_log")).content.decode()
    assert html.count("张19（") == 3  # actor, object and the added person, by name and organisation


def test_the_action_filter_offers_chinese_labels_grouped_by_stage(client_for):
    client = client_for(Role.CITY)
    audit_record(actor=client.user, action="budget.entry_add")
    audit_record(actor=client.user, action="auth.login")
    with translation.override("zh-hans"):
        groups = dict(action_choices())
    assert "预算与拨付" in groups and ("batch.approve", "付款批次已审批") in groups["预算与拨付"]
    assert ("auth.login", "登录") in groups["账号与登录"]
    response = client.get(reverse("core:audit_log"), {"action": "budget.entry_add"})
    html = response.content.decode()
    assert '<optgroup label="预算与拨付">' in html
    assert '<option value="budget.entry_add" selected>登记预算</option>' in html
    assert [entry.action for entry in response.context["entries"]] == ["budget.entry_add"]
    refused = client.get(reverse("core:audit_log"), {"action": "no.such"})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()


def test_only_the_administrator_sees_usernames_ips_codes_and_checksums(client_for):
    enterprise = EnterpriseFactory()
    clerk = UserFactory(role=Role.ENTERPRISE, organisation=enterprise, first_name="王芳", username="wangfang88")
    audit_record(actor=clerk, action="application.upload", obj=enterprise, ip="10.1.2.3",
                 data={"material": "营业执照", "file": "营业执照.pdf", "tech_sha256": "deadbeef"})
    nameless = UserFactory(role=Role.ENTERPRISE, organisation=enterprise, username="noname77")
    audit_record(actor=nameless, action="auth.login", obj=nameless)  # its object reads by role and organisation
    city = client_for(Role.CITY).get(reverse("core:audit_log")).content.decode()
    city = city[city.index("<tbody>"):]  # the filter's options carry the codes as their values
    assert "王芳" in city and "营业执照：营业执照.pdf" in city
    assert "wangfang88" not in city and "deadbeef" not in city and "10.1.2.3" not in city
    assert "noname77" not in city and f"（{enterprise.name}）" in city
    assert "application.upload" not in city
    admin = client_for(Role.ADMIN).get(reverse("core:audit_log")).content.decode()
    admin = admin[admin.index("<tbody>"):]
    assert "<details" in admin and "wangfang88" in admin and "deadbeef" in admin and "10.1.2.3" in admin
    assert "application.upload" in admin


def test_the_award_history_shows_the_re_review_pass_by_name_without_repeating_the_state(client_for):
    city = UserFactory(role=Role.CITY, first_name="赵敏", username="zhaomin")
    app = with_proposal(Status.QUALIFIED, city, category_with_rules())
    for action, source, target in (("application.disqualify", "city_accepted", "disqualified"),
                                   ("application.request_re_review", "disqualified", "re_review"),
                                   ("application.qualify", "re_review", "qualified")):
        audit_record(actor=city, action=action, obj=app, from_state=source, to_state=target)
    html = client_for(Role.CITY).get(reverse("reviews:award", args=[app.pk])).content.decode()
    history = html[html.index('id="hist-h"'):]
    history = re.sub(r"\s+", " ", history[:history.index("</ul>")])
    labels = {code: str(label) for code, label in Status.choices}
    assert f"{labels['disqualified']} → {labels['re_review']}" in history  # the re-review request
    assert f"{labels['re_review']} → {labels['qualified']}" in history  # and its outcome
    assert f"{labels['disqualified']} → {labels['disqualified']}" not in history
    assert "赵敏" in history and "zhaomin" not in history
    assert re.search(r"测算奖补金额 · [\d,]+\.\d\d 万元 × ", history), history


def test_the_audit_log_counts_no_further_than_the_pager_cap(client_for, monkeypatch):
    """A long audit log is counted up to the cap (core.paging), not row by row: "n+" and pages go on."""
    from core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    client = client_for(Role.CITY)
    for number in range(7):
        audit_record(actor=client.user, action="enterprise.add_user", obj=client.user, note=f"第{number}条")
    page = client.get(reverse("core:audit_log")).context["page"]
    assert page.paginator.exact is False and page.paginator.count_label == "5+"
