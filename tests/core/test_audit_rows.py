"""core.audit_rows: the audit log's rows rendered in Python, the filter's many actions rendered once."""

from datetime import UTC, datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from accounts.roles import Role
from core.audit import audit_record
from core.audit_notes import annotate
from core.audit_rows import audit_rows_html
from core.forms import AuditLogFilterForm
from tests.factories import ProfiledEnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_row_shows_local_time_people_labels_and_a_cut_note_escaped():
    officer = UserFactory(role=Role.CITY, first_name="王", last_name="科长")
    entry = audit_record(actor=officer, action="enterprise.verify",
                         obj=ProfiledEnterpriseFactory(name="郑州<script>重工"), note="说" * 400)
    entry.created_at = datetime(2021, 3, 4, 1, 2, 3, tzinfo=UTC)
    with translation.override("zh-hans"):
        (row,) = annotate([entry])
        html = str(audit_rows_html([row]))
        technical = str(audit_rows_html(annotate([entry], technical=True), technical=True))
    assert '<td class="text-nowrap">2021-03-04 09:02:03</td>' in html  # Asia/Shanghai
    assert f"<td>{row.actor_label}</td>" in html and "王" in row.actor_label
    assert '<td class="audit-object">郑州&lt;script&gt;重工</td>' in html
    assert f"<td>{row.action_label}</td>" in html
    assert len(row.note_text) > 300 and f"<td>{Truncator(row.note_text).chars(300)}</td>" in html
    assert "<details" not in html
    assert "<details" in technical
    assert "<code>enterprise.verify</code>" in technical and f"<dd>{officer.username}</dd>" in technical


def test_the_audit_log_page_lists_its_rows(client_for):
    entry = audit_record(actor=UserFactory(role=Role.CITY), action="enterprise.verify",
                         obj=ProfiledEnterpriseFactory(name="河南中铁装备有限公司"))
    body = client_for(Role.CITY).get(reverse("core:audit_log"), {"q": "中铁装备"}).content.decode()
    assert '<td class="audit-object">河南中铁装备有限公司</td>' in body and "<code>" not in body
    assert f'value="{entry.action}" selected' not in body
    empty = client_for(Role.CITY).get(reverse("core:audit_log"), {"q": "没有这个对象"}).content.decode()
    assert empty.count("<tr>") == 2  # the header and the row saying what to do


@pytest.mark.parametrize("data", [{}, {"action": "application.submit"}, {"action": "<x>"}])
def test_the_action_filter_renders_the_options_djangos_select_would(data):
    with translation.override("zh-hans"):
        form = AuditLogFilterForm(data)
        form.is_valid()
        fast = str(form["action"])
        form.fields["action"].widget = forms.Select(choices=form.fields["action"].choices)
        plain = str(form["action"])
    def options(html):  # the options as Django writes them, without its line breaks
        return " ".join(html.split()).replace("> <", "><").split(">", 1)[1]

    assert options(fast) == options(plain)
    chosen = data.get("action", "")
    assert (f'<option value="{chosen}" selected>' in fast) == (chosen != "<x>")
    assert "<x>" not in fast
