"""A payment batch's page reads a fixed number of statements however many payments it and the other batches hold."""

import pytest
from django.urls import reverse

from tests.factories import disbursements as f
from tests.helpers import login

pytestmark = pytest.mark.django_db

# the page's target in benchmarks/README.md (make bench: statements that read or write data), finance staff with
# the second factor; inside a test's transaction the session's save adds a SAVEPOINT and its RELEASE
MAX_QUERIES = 8 + 2


def test_the_batch_page_reads_the_same_statements_at_any_size(client, prep, appr, django_assert_max_num_queries):
    first = f.commitment("100.00")
    batch = f.sent_batch(prep, appr, [first, f.sibling(first, "10.00")])
    login(client, appr)
    url = reverse("disbursements:batch_detail", args=[batch.pk])
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):
        f.sent_batch(prep, appr, [f.sibling(first, "10.00") for _ in range(3)])
    big = f.sent_batch(prep, appr, [f.sibling(first, "1.00") for _ in range(12)])
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES) as largest:
        page = client.get(reverse("disbursements:batch_detail", args=[big.pk]))
    assert len(small.captured_queries) == len(large.captured_queries) == len(largest.captured_queries)
    assert page.content.decode().count(big.reference) >= 1 and len(page.context["page"]) == 12


def test_a_large_batch_lists_its_payments_fifty_at_a_time(client, prep, appr):
    first = f.commitment("100.00")
    batch = f.sent_batch(prep, appr, [first, *(f.sibling(first, "1.00") for _ in range(54))])
    login(client, appr)
    url = reverse("disbursements:batch_detail", args=[batch.pk])
    one, two = client.get(url), client.get(url + "?page=2")
    first_refs = [p.reference for p in one.context["page"]]
    second_refs = [p.reference for p in two.context["page"]]
    assert len(first_refs) == 50 and len(second_refs) == 5 and not set(first_refs) & set(second_refs)
    assert first_refs + second_refs == list(batch.payments.order_by("pk").values_list("reference", flat=True))
    body = one.content.decode()
    assert one.context["batch"].count == 55 and 'rel="next"' in body and "page=2" in body
    assert "55" in body  # the number of payments in the batch's figures, not the page's 50


def test_the_batch_summary_statement_reads_as_the_queryset_and_keeps_the_scope(prep, appr):
    """The batch page's figures come from a statement prepared once (core.sqlcache): the same totals as the
    queryset built afresh, each batch by its own id, and nothing for a role that may not see batches."""
    from decimal import Decimal

    from django.db.models import Sum

    from accounts.roles import Role
    from disbursements.models import PaymentBatch
    from disbursements.selectors import batch_summary, batch_summary_of
    from tests.factories import UserFactory

    first = f.commitment("100.00")
    one = f.sent_batch(prep, appr, [first, f.sibling(first, "10.00")])
    two = f.sent_batch(prep, appr, [f.sibling(first, "1.50")])
    for batch in (one, two):
        fresh = batch_summary(appr).get(pk=batch.pk)
        shown = batch_summary_of(appr, batch.pk)
        assert (shown.pk, shown.total, shown.count, shown.failed) == (fresh.pk, fresh.total, fresh.count, fresh.failed)
    assert batch_summary_of(appr, two.pk).total == two.payments.aggregate(s=Sum("amount"))["s"] == Decimal("1.50")
    for actor, pk in ((UserFactory.for_role(Role.COUNTY), one.pk), (appr, two.pk + 1000)):
        with pytest.raises(PaymentBatch.DoesNotExist):
            batch_summary_of(actor, pk)
