"""The application's page reads a fixed number of statements, however many applications there are and however
long its own lists (files, versions, decisions, history, duplicates) grow."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import ApplicationVersion, Attachment, QualificationDecision
from applications.workflow import Status
from core.audit import audit_record
from tests.factories import application_in
from tests.factories.applications import attach_required, enterprise_user

pytestmark = pytest.mark.django_db

# the page's target in benchmarks/README.md (make bench: statements that read or write data), city staff with the
# second factor; inside a test's transaction the session's save adds a SAVEPOINT and its RELEASE
MAX_QUERIES = 8 + 2


def _grow(app, city, n):
    """n more of everything the page lists: versions, decisions, history rows, duplicates of both kinds, and
    other applications."""
    start = app.versions.count()
    for number in range(start + 1, start + n + 1):
        ApplicationVersion.objects.create(application=app, number=number, data={}, submitted_at=app.submitted_at)
        QualificationDecision.objects.create(application=app, decision="qualified", reasons=f"理由{number}",
                                             actor=city)
        audit_record(actor=city, action="application.save_draft", obj=app, note=f"备注{number}")
        application_in(Status.SUBMITTED, category=app.category, enterprise=app.enterprise)
        other = application_in(Status.SUBMITTED, category=app.category)
        file = app.attachments.filter(is_current=True).first()
        Attachment.objects.create(application=other, material=file.material, file=file.file.name,
                                  original_name=file.original_name, sha256=file.sha256, size=file.size,
                                  content_type=file.content_type, file_type=file.file_type)
        application_in(Status.FORWARDED)


def test_the_detail_page_reads_the_same_statements_at_any_size(client_for, django_assert_max_num_queries):
    app = application_in(Status.DRAFT)
    attach_required(app, enterprise_user(app))
    app.status, app.receipt_no = Status.SUBMITTED, "2021-ZY-0001"
    app.first_submitted_at = app.submitted_at = timezone.now()
    app.save()
    client = client_for(Role.CITY)
    city = client.user
    url = reverse("applications:detail", args=[app.pk])
    _grow(app, city, 1)
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        page = client.get(url)
    assert page.status_code == 200
    dup = page.context["duplicates"]
    assert dup["same_category"] and dup["shared_files"]  # both kinds present: their statement is counted
    _grow(app, city, 6)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        page = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(page.context["versions"]) == 7 and len(page.context["decisions"]) == 7
    assert len(page.context["duplicates"]["same_category"]) == 7
    assert len(page.context["duplicates"]["shared_files"]) == 7
    assert [m.pk for m, _a in page.context["slots"]] == list(app.category.materials.order_by("sort_order", "id")
                                                             .values_list("pk", flat=True))
    required = set(app.category.materials.filter(required=True).values_list("pk", flat=True))
    assert {m.pk for m, a in page.context["slots"] if a is not None} == required
    body = page.content.decode()
    assert "理由7" in body and "备注7" in body


def test_history_rows_with_states_add_no_statement(client_for, django_assert_max_num_queries):
    """Each history row shows its states by their labels, read through the content-type cache (reading the
    row's content type would be one statement per row)."""
    app = application_in(Status.SUBMITTED)
    client = client_for(Role.CITY)
    url = reverse("applications:detail", args=[app.pk])

    def steps(n):
        for _ in range(n):
            audit_record(actor=client.user, action="application.return", obj=app, from_state=Status.SUBMITTED,
                         to_state=Status.RETURNED, note="退回")
            audit_record(actor=client.user, action="application.submit", obj=app, from_state=Status.RETURNED,
                         to_state=Status.SUBMITTED)

    steps(1)
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        client.get(url)
    steps(5)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        page = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len([e for e in page.context["history"] if e.state_text]) >= 12
