"""The list views page from either end (core.paging): ``?page=last`` shows the list's true last rows in its
own order, the pager links both ends, and a page from the end costs the queries of the first page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from applications.models import Application
from applications.workflow import Status
from core.models import AuditLog
from disbursements.models import Payment
from tests.factories import ProfiledEnterpriseFactory, application_in, category_with_rules
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def cap(monkeypatch):
    """A small cap so that a few dozen rows are a list "beyond the cap"."""
    def set_cap(n):
        monkeypatch.setattr("core.paging.COUNT_CAP", n)
    return set_cap


def shown(response, key="pk"):
    return [row[key] if isinstance(row, dict) else getattr(row, key) for row in response.context["page"]]


def queries(client, url, params):
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(CONTROL)])


def test_the_application_list_shows_its_last_rows_in_order_ties_included(client_for, cap, monkeypatch):
    category = category_with_rules()
    apps = [application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory())
            for _ in range(12)]
    same = timezone.now() - timedelta(days=1)  # one submission time for half of them: the id decides
    Application.objects.filter(pk__in=[a.pk for a in apps[:6]]).update(first_submitted_at=same)
    expected = list(Application.objects.order_by("-first_submitted_at", "-id").values_list("pk", flat=True))
    monkeypatch.setattr("applications.views.lists.PAGE_SIZE", 5)
    cap(10)
    client, url = client_for(Role.CITY), reverse("applications:list")
    response = client.get(url, {"page": "last", "sort": "-submitted"})
    assert shown(response, "id") == expected[-5:]
    assert shown(client.get(url, {"page": "-2"}), "id") == expected[-10:-5]
    body = response.content.decode()
    assert "sort=-submitted&amp;page=-2" in body and "page=1" in body
    assert queries(client, url, {"page": "last"}) == queries(client, url, {"page": "1"})
    cap(1000)  # an exact list: the last numbered page
    assert shown(client.get(url, {"page": "last"}), "id") == expected[10:]


def test_the_audit_log_shows_its_oldest_rows_last_in_order(client_for, cap):
    start = timezone.now() - timedelta(days=400)
    AuditLog.objects.bulk_create([
        AuditLog(action="application.submit", object_repr=f"项目{i}", created_at=start + timedelta(hours=i // 3))
        for i in range(130)])  # three rows at each time: ties broken by the id
    client, url = client_for(Role.CITY), reverse("core:audit_log")  # its login is audited too
    expected = list(AuditLog.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    cap(100)
    with translation.override("zh-hans"):
        response = client.get(url, {"page": "last", "action": "application.submit"})
    submitted = AuditLog.objects.filter(action="application.submit").order_by("-created_at", "-id")
    assert shown(response) == list(submitted.values_list("pk", flat=True))[-50:]
    response = client.get(url, {"page": "last"})
    assert shown(response) == expected[-50:]
    assert shown(client.get(url, {"page": "-2"})) == expected[-100:-50]
    deepest = client.get(url, {"page": "99999"})  # deeper than numbers reach (2 pages of 50): the deepest
    assert shown(deepest) == expected[50:100] and deepest.context["page"].at_limit
    # the last page's rows name nobody (no people to read); the first page's name the city user who logged in
    assert queries(client, url, {"page": "last"}) == queries(client, url, {"page": "1"}) - 1


def test_the_finance_list_shows_its_first_payments_last(client_for, cap):
    commitment = f.commitment()
    preparer = f.preparer()
    Payment.objects.bulk_create([
        Payment(commitment=commitment, tranche=i + 1, reference=f"PAYTEST{i:04d}", amount=Decimal("100.00"),
                purpose="拨付", payee_name="郑州制造", payee_bank="中国银行", payee_account="1", prepared_by=preparer)
        for i in range(130)])
    expected = list(Payment.objects.order_by("-id").values_list("pk", flat=True))
    cap(100)
    client, url = client_for(Role.CITY), reverse("disbursements:payments")
    with translation.override("zh-hans"):
        response = client.get(url, {"page": "last"})
    assert shown(response, "id") == expected[-50:]  # the payments list's rows are dicts
    body = response.content.decode()
    assert 'aria-current="page">倒数第 1 页<' in body and 'page=-2" rel="prev"' in body
    assert "共 100+ 笔付款" in body
    assert shown(client.get(url, {"page": "2"}), "id") == expected[50:100]
    assert shown(client.get(url, {"page": "-1.5"}), "id") == expected[:50]  # no number: the first page
    assert queries(client, url, {"page": "last"}) == queries(client, url, {"page": "1"})


def test_deep_pages_of_the_application_list_read_their_keys_through_one_statement(client_for, cap, monkeypatch):
    """Pages deeper than the statements compiled per page position read their keys through one statement whose
    OFFSET is a parameter (core.sqlcache.keys), then their rows: the same rows as the plain pager, from either
    end, within and beyond the cap, filtered and sorted."""
    category = category_with_rules()
    apps = [application_in(Status.SUBMITTED if n % 3 else Status.FORWARDED, category=category,
                           enterprise=ProfiledEnterpriseFactory()) for n in range(17)]
    same = timezone.now() - timedelta(days=1)  # ties: the id decides
    Application.objects.filter(pk__in=[a.pk for a in apps[:7]]).update(first_submitted_at=same)
    for n, app in enumerate(apps):
        Application.objects.filter(pk=app.pk).update(requested_amount=Decimal(1000 * (n % 4)))
    monkeypatch.setattr("applications.views.lists.PAGE_SIZE", 3)
    monkeypatch.setattr("core.paging.STATEMENT_DEPTH", 4)
    client, url = client_for(Role.CITY), reverse("applications:list")
    for params, order in (({}, ("-first_submitted_at", "-id")),
                          ({"status": Status.SUBMITTED}, ("-first_submitted_at", "-id")),
                          ({"sort": "amount"}, ("requested_amount", "-id"))):
        expected = list(Application.objects.filter(**({"status": params["status"]} if "status" in params else {}))
                        .order_by(*order).values_list("pk", flat=True))
        pages = [expected[i:i + 3] for i in range(0, len(expected), 3)]
        for limit in (1000, 9):  # exact, then beyond the cap (numbers reach 3 pages from each end)
            cap(limit)
            reach = len(pages) if limit == 1000 else 3
            for n in range(1, reach + 1):
                assert shown(client.get(url, {**params, "page": n}), "id") == pages[n - 1], (params, limit, n)
            if limit == 9:
                for k in range(1, 4):
                    assert shown(client.get(url, {**params, "page": -k if k > 1 else "last"}), "id") == \
                        expected[len(expected) - 3 * k:len(expected) - 3 * (k - 1)], (params, k)
    if connection.vendor == "postgresql":
        cap(1000)
        client.get(url, {"page": 3})
        with CaptureQueriesContext(connection) as ctx:
            assert shown(client.get(url, {"page": 4}), "id") == list(
                Application.objects.order_by("-first_submitted_at", "-id").values_list("pk", flat=True))[9:12]
            client.get(url, {"page": 5})
        keyed = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("EXECUTE") and "_keys" in q["sql"]]
        assert len(keyed) == 2 and keyed[0].split("(")[0] == keyed[1].split("(")[0]
