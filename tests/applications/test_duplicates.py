"""Duplicate detection for county and city staff: same enterprise and category, same file, other subsidy."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.services import attachment_store
from applications.workflow import BADGE_CLASS, Status
from tests.factories import ProfiledEnterpriseFactory, application_in, category_with_rules
from tests.factories.applications import MINIMAL_PDF, enterprise_user, pdf_upload

pytestmark = pytest.mark.django_db
LIST = reverse("applications:list")


def flagged(client, **params):
    return {a["id"] for a in client.get(LIST, {"duplicates": "on", **params}).context["page"]}


def test_two_applications_of_one_enterprise_in_one_category(client_for):
    first = application_in(Status.SUBMITTED)
    second = application_in(Status.SUBMITTED, category=first.category, enterprise=first.enterprise)
    other = application_in(Status.SUBMITTED, category=first.category)
    client = client_for(Role.CITY)
    assert flagged(client) == {first.pk, second.pk}
    detail = client.get(reverse("applications:detail", args=[first.pk]))
    assert [a.pk for a in detail.context["duplicates"]["same_category"]] == [second.pk]
    body = detail.content.decode()
    assert "疑似重复申报" in body
    link = reverse("applications:detail", args=[second.pk])
    assert (f'<li><a href="{link}">{second.receipt_no} {second.project_name}</a> <span class="badge badge-status '
            f'{BADGE_CLASS[second.status]}">{second.get_status_display()}</span></li>') in body
    assert other.pk not in flagged(client)


def test_withdrawn_applications_do_not_count(client_for):
    first = application_in(Status.SUBMITTED)
    application_in(Status.WITHDRAWN, category=first.category, enterprise=first.enterprise)
    assert flagged(client_for(Role.CITY)) == set()


def _with_file(app, content):
    draft_status = app.status
    app.status = Status.DRAFT
    app.save()
    attachment_store(application=app, material=app.category.materials.first(), upload=pdf_upload(content=content),
                     actor=enterprise_user(app))
    app.status = draft_status
    app.save()


def test_the_same_file_in_applications_of_different_enterprises(client_for):
    category = category_with_rules()
    a = application_in(Status.SUBMITTED, category=category)
    b = application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory())
    c = application_in(Status.SUBMITTED, category=category)
    _with_file(a, MINIMAL_PDF + b"% copied\n")
    _with_file(b, MINIMAL_PDF + b"% copied\n")
    _with_file(c, MINIMAL_PDF + b"% own\n")
    client = client_for(Role.CITY)
    assert flagged(client) == {a.pk, b.pk}
    shared = client.get(reverse("applications:detail", args=[a.pk])).context["duplicates"]["shared_files"]
    assert [att.application_id for att in shared] == [b.pk]


def test_declared_other_subsidy_is_flagged(client_for):
    app = application_in(Status.SUBMITTED, other_subsidy=True, other_subsidy_detail="省级专项资金")
    client = client_for(Role.COUNTY)
    assert app.pk in flagged(client)
    assert "省级专项资金" in client.get(reverse("applications:detail", args=[app.pk])).content.decode()


def test_enterprises_do_not_see_duplicate_checks(client_for):
    first = application_in(Status.SUBMITTED)
    application_in(Status.SUBMITTED, category=first.category, enterprise=first.enterprise)
    client = client_for(enterprise_user(first))
    response = client.get(reverse("applications:detail", args=[first.pk]))
    assert response.context["duplicates"] is None
    assert "疑似重复" not in response.content.decode()


def test_a_file_shared_by_many_enterprises_lists_the_first_ones_and_says_there_are_more(client_for):
    """A file thousands of enterprises uploaded (a blank template) must not make the page list them all."""
    from applications.models import Attachment
    from applications.selectors import SHARED_FILES_SHOWN

    category = category_with_rules()
    app = application_in(Status.SUBMITTED, category=category)
    _with_file(app, MINIMAL_PDF + b"% template\n")
    file = app.attachments.get(is_current=True)
    others = [application_in(Status.SUBMITTED, category=category) for _ in range(SHARED_FILES_SHOWN + 2)]
    Attachment.objects.bulk_create([
        Attachment(application=other, material=file.material, file=file.file.name, original_name="承诺书.pdf",
                   sha256=file.sha256, size=file.size, content_type=file.content_type, file_type=file.file_type)
        for other in others])
    page = client_for(Role.CITY).get(reverse("applications:detail", args=[app.pk]))
    shared = page.context["duplicates"]["shared_files"]
    assert [att.application_id for att in shared] == sorted(o.pk for o in others)[:SHARED_FILES_SHOWN]
    assert page.context["duplicates"]["shared_files_more"] is True
    assert f"仅列出前{SHARED_FILES_SHOWN}个，另有更多。" in page.content.decode()


def test_the_exports_set_wise_flags_are_the_per_row_checks_of_the_active_applications():
    from applications.models import Application
    from applications.selectors import INACTIVE, application_list, duplicate_annotations, duplicate_sets
    from tests.factories import UserFactory

    category = category_with_rules()
    first = application_in(Status.SUBMITTED, category=category)
    application_in(Status.FORWARDED, category=category, enterprise=first.enterprise)  # same category and call
    application_in(Status.WITHDRAWN, category=category, enterprise=first.enterprise)
    lone = application_in(Status.SUBMITTED, category=category)
    application_in(Status.WITHDRAWN, category=category, enterprise=lone.enterprise)  # only a withdrawn twin
    a = application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory())
    b = application_in(Status.QUALIFIED, category=category, enterprise=ProfiledEnterpriseFactory())
    _with_file(a, MINIMAL_PDF + b"% copied\n")
    _with_file(b, MINIMAL_PDF + b"% copied\n")
    rows = application_list(UserFactory.for_role(Role.CITY))
    found = duplicate_sets(rows)
    per_row = Application.objects.annotate(**duplicate_annotations()).exclude(status__in=INACTIVE)
    for flag in ("dup_category", "dup_file"):
        assert found[flag] == set(per_row.filter(**{flag: True}).values_list("pk", flat=True)), flag
    assert first.pk in found["dup_category"] and lone.pk not in found["dup_category"]
    assert found["dup_file"] == {a.pk, b.pk}
    assert duplicate_sets(rows.none()) == {"dup_category": set(), "dup_file": set()}
    county = UserFactory(role=Role.COUNTY, county=lone.county)  # the scope of the rows bounds the sets
    assert duplicate_sets(application_list(county))["dup_file"] <= set(
        application_list(county).values_list("pk", flat=True))


def test_the_list_pages_flags_are_the_per_row_checks_and_planned_once_per_connection():
    """``duplicate_flags`` (the list pages' one statement for a page of ids) flags what the per-row checks flag;
    on PostgreSQL its text is the same for any page (the ids as one array) and it is prepared once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.models import Application
    from applications.selectors import INACTIVE, duplicate_annotations, duplicate_flags

    category = category_with_rules()
    first = application_in(Status.SUBMITTED, category=category)
    application_in(Status.FORWARDED, category=category, enterprise=first.enterprise)
    lone = application_in(Status.SUBMITTED, category=category)
    a = application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory())
    b = application_in(Status.QUALIFIED, category=category, enterprise=ProfiledEnterpriseFactory())
    _with_file(a, MINIMAL_PDF + b"% copied again\n")
    _with_file(b, MINIMAL_PDF + b"% copied again\n")
    subsidised = application_in(Status.SUBMITTED, category=category)
    Application.objects.filter(pk=subsidised.pk).update(other_subsidy=True)
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
    per_row = Application.objects.annotate(**duplicate_annotations()).exclude(status__in=INACTIVE)
    expected = {r.pk for r in per_row if r.dup_category or r.dup_file or r.other_subsidy}
    assert set(duplicate_flags(ids)) == expected and {first.pk, a.pk, b.pk, subsidised.pk} <= expected
    assert lone.pk not in expected
    assert duplicate_flags([]) == {}
    with CaptureQueriesContext(connection) as ctx:
        assert set(duplicate_flags(ids[:2])) == expected & set(ids[:2])
        assert set(duplicate_flags(ids)) == expected
    texts = {q["sql"].split("(")[0] for q in ctx.captured_queries}
    if connection.vendor == "postgresql":
        assert texts == {"EXECUTE sqlcache_raw_duplicate_flags "}, texts
    else:
        assert len(ctx.captured_queries) == 2
