"""The audit log's search box: the object's name, the actor's name, the action (its label or code)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core.audit import action_label, audit_record
from tests.factories import ProfiledEnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("core:audit_log")


def found(client, q):
    return {entry.pk for entry in client.get(URL, {"q": q}).context["page"]}


def test_the_audit_log_is_searched_by_object_actor_and_action(client_for):
    officer = UserFactory(role=Role.CITY, first_name="王", last_name="科长")
    other = UserFactory(role=Role.COUNTY)
    first = audit_record(actor=officer, action="category.update",
                         obj=ProfiledEnterpriseFactory(name="郑州宇通重工有限公司"))
    second = audit_record(actor=other, action="enterprise.verify",
                          obj=ProfiledEnterpriseFactory(name="河南中铁装备有限公司"))
    client = client_for(Role.CITY)
    assert found(client, "宇通") == {first.pk}
    assert found(client, "中铁装备") == {second.pk}
    assert found(client, first.actor_name) >= {first.pk} and second.pk not in found(client, first.actor_name)
    assert found(client, "enterprise.verify") == {second.pk}
    assert first.pk not in found(client, "enterprise.verify")
    assert found(client, "Enterprise verified") == {second.pk}  # the label in English
    with translation.override("zh-hans"):
        chinese = str(action_label("enterprise.verify"))
    assert chinese != "Enterprise verified" and found(client, chinese) == {second.pk}  # as the page shows it
    assert found(client, "宇通 中铁") == set()
    page = client.get(URL, {"q": "宇通", "page": "1"})
    assert page.status_code == 200 and 'value="宇通"' in page.content.decode()


def test_the_search_is_echoed_escaped(client_for):
    body = client_for(Role.CITY).get(URL, {"q": '"><script>x</script>'}).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body


def test_the_unsearched_log_reads_the_same_rows_through_its_prepared_statement(client_for):
    """All rows or one action: the pages near either end come from a statement prepared once
    (core.selectors.audit_log_statement) and show exactly the rows of the log's own queryset."""
    from core.paging import CappedPaginator
    from core.selectors import audit_log_list, audit_log_statement

    city = client_for(Role.CITY).user
    for n in range(7):
        audit_record(actor=city, action="enterprise.verify" if n % 2 else "category.update", note=f"第{n}条",
                     obj=ProfiledEnterpriseFactory())
    for filters in ({}, {"action": "enterprise.verify"}, {"action": "", "q": ""}):
        statement = audit_log_statement(actor=city, filters=filters)
        assert statement is not None
        for page in ("1", "2", "last"):
            plain = CappedPaginator(audit_log_list(actor=city, filters=filters), 2, cap=4).get_page(page)
            named = CappedPaginator(audit_log_list(actor=city, filters=filters), 2, cap=4,
                                    statement=statement).get_page(page)
            assert [e.pk for e in named] == [e.pk for e in plain] and len(plain), (filters, page)
    for searched in ({"q": "第1"}, {"actor": "张"}, {"object": "1"}):
        assert audit_log_statement(actor=city, filters=searched) is None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_unfiltered_logs_bar_is_built_once_per_language_and_a_filtered_one_every_time(language, client_for):
    """The audit log's filter form has the same fields for everyone (its action menu depends on the language only):
    the empty bar comes from core.filter_bar's cache, exactly as the form renders it; a filtered log's bar shows
    what was typed."""
    from core import filter_bar
    from core.filter_bar import field_html
    from core.forms import AuditLogFilterForm

    client = client_for(Role.CITY)
    client.cookies["django_language"] = language
    with translation.override(language):
        fresh = "".join(field_html(bound, "col-6 col-md-2") for bound in AuditLogFilterForm())
    filter_bar._BARS.clear()
    first = client.get(reverse("core:audit_log")).content.decode()
    assert fresh in first and len(filter_bar._BARS) == 1
    assert fresh in client.get(reverse("core:audit_log")).content.decode() and len(filter_bar._BARS) == 1
    typed = client.get(reverse("core:audit_log"), {"actor": "张三<b>"}).content.decode()
    assert 'value="张三&lt;b&gt;"' in typed and len(filter_bar._BARS) == 1
