"""Duplicate detection for county and city staff: same enterprise and category, same file, other subsidy."""

import io

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
    page = client.get(reverse("applications:detail", args=[a.pk]))
    shared = page.context["duplicates"]["shared_files"]
    assert [att.application_id for att in shared] == [b.pk]
    material = category.materials.first().name
    link = reverse("applications:detail", args=[b.pk])
    assert f'<li>{material}：{b.enterprise.name} <a href="{link}">{b.receipt_no}</a></li>' in page.content.decode()


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
    from applications.duplicates import INACTIVE, duplicate_annotations, duplicate_sets
    from applications.models import Application
    from applications.selectors import application_list
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


def test_the_flags_statement_is_the_per_row_checks_and_planned_once_per_connection():
    """``duplicate_flags`` (one statement for the applications a change concerns) flags what the per-row checks
    flag; on PostgreSQL its text is the same for any set of ids (one array) and it is prepared once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.duplicates import INACTIVE, duplicate_annotations, duplicate_flags
    from applications.models import Application

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


def _kept_and_computed():
    """(ids whose kept flag is set, ids the checks flag now) over every application."""
    from applications.duplicates import duplicate_flags
    from applications.models import Application

    ids = list(Application.objects.values_list("pk", flat=True))
    kept = set(Application.objects.filter(possible_duplicate=True).values_list("pk", flat=True))
    return kept, set(duplicate_flags(ids))


def test_the_kept_flag_follows_statuses_subsidies_and_files(client_for):
    """``possible_duplicate`` is brought up to date by the change itself, on both sides of a pair: a twin submitted
    or withdrawn, a subsidy declared, a file shared, replaced or removed."""
    from applications.models import Application
    from applications.services import attachment_remove

    def kept():
        return set(Application.objects.filter(possible_duplicate=True).values_list("pk", flat=True))

    category = category_with_rules()
    first = application_in(Status.SUBMITTED, category=category)
    assert kept() == set()
    twin = application_in(Status.SUBMITTED, category=category, enterprise=first.enterprise)
    assert kept() == {first.pk, twin.pk}
    twin.status = Status.WITHDRAWN
    twin.save(update_fields=["status"])  # what a workflow transition saves
    assert kept() == set()

    a = application_in(Status.RETURNED, category=category, enterprise=ProfiledEnterpriseFactory())
    b = application_in(Status.RETURNED, category=category, enterprise=ProfiledEnterpriseFactory())
    material = category.materials.first()
    attachment_store(application=a, material=material, upload=pdf_upload(content=MINIMAL_PDF + b"% same\n"),
                     actor=enterprise_user(a))
    assert kept() == set()
    attachment_store(application=b, material=material, upload=pdf_upload(content=MINIMAL_PDF + b"% same\n"),
                     actor=enterprise_user(b))
    assert kept() == {a.pk, b.pk}
    b.refresh_from_db()
    attachment_store(application=b, material=material, upload=pdf_upload(content=MINIMAL_PDF + b"% b's own\n"),
                     actor=enterprise_user(b))  # the replaced file no longer makes either a duplicate
    assert kept() == set()
    b.refresh_from_db()
    attachment_store(application=b, material=material, upload=pdf_upload(content=MINIMAL_PDF + b"% same\n"),
                     actor=enterprise_user(b))
    assert kept() == {a.pk, b.pk}
    b.refresh_from_db()
    attachment_remove(application=b, material=material, actor=enterprise_user(b))
    assert kept() == set()

    first.other_subsidy, first.other_subsidy_detail = True, "省级专项资金"
    first.save()
    assert kept() == {first.pk}
    assert _kept_and_computed()[0] == _kept_and_computed()[1]
    # the list shows the kept flag and filters by it
    client = client_for(Role.CITY)
    assert flagged(client) == {first.pk}
    body = client.get(LIST).content.decode()
    assert body.count("duplicate?") + body.count("疑似重复") >= 1


def test_the_kept_flag_matches_the_checks_after_any_sequence_of_changes():
    """Random statuses, subsidies and files on six applications of five enterprises (one has two in the category):
    after every change the kept flags are exactly what the checks compute."""
    import random

    from applications.services import attachment_remove

    category = category_with_rules()
    material = category.materials.first()
    enterprises = [ProfiledEnterpriseFactory() for _ in range(5)]
    apps = [application_in(Status.SUBMITTED, category=category, enterprise=enterprises[i % 5]) for i in range(6)]
    statuses = [Status.SUBMITTED, Status.RETURNED, Status.WITHDRAWN, Status.DRAFT, Status.QUALIFIED]
    for seed in range(3):
        rng = random.Random(seed)
        for _step in range(25):
            app = rng.choice(apps)
            app.refresh_from_db()
            what = rng.choice(["status", "subsidy", "file", "remove"])
            if what == "status":
                app.status = rng.choice(statuses)
                app.save(update_fields=["status"])
            elif what == "subsidy":
                app.other_subsidy = not app.other_subsidy
                app.save()
            else:
                app.status = Status.RETURNED  # files change only in an editable application
                app.save(update_fields=["status"])
                app.refresh_from_db()
                if what == "file":
                    content = MINIMAL_PDF + f"% file {rng.randrange(3)}\n".encode()
                    attachment_store(application=app, material=material, upload=pdf_upload(content=content),
                                     actor=enterprise_user(app))
                else:
                    attachment_remove(application=app, material=material, actor=enterprise_user(app))
            kept, computed = _kept_and_computed()
            assert kept == computed, (seed, _step, what)


def test_refresh_all_puts_right_what_no_change_refreshed():
    """Rows written around the model (SQL, bulk loads) are put right by the nightly recomputation."""
    from django.core.management import call_command

    from applications.duplicates import refresh_all
    from applications.models import Application

    first = application_in(Status.SUBMITTED)
    twin = application_in(Status.SUBMITTED, category=first.category, enterprise=first.enterprise)
    lone = application_in(Status.SUBMITTED)
    Application.objects.filter(pk__in=[first.pk, twin.pk]).update(possible_duplicate=False)
    Application.objects.filter(pk=lone.pk).update(possible_duplicate=True)
    assert refresh_all() == 3
    assert _kept_and_computed()[0] == {first.pk, twin.pk}
    assert refresh_all() == 0
    Application.objects.filter(pk=lone.pk).update(possible_duplicate=True)
    out = io.StringIO()
    call_command("refresh_duplicates", stdout=out)
    assert out.getvalue().strip() == "1 flag(s) changed"
    assert not Application.objects.get(pk=lone.pk).possible_duplicate


def test_the_list_reads_the_kept_flag_without_checking_its_rows(client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = application_in(Status.SUBMITTED)
    application_in(Status.SUBMITTED, category=first.category, enterprise=first.enterprise)
    client = client_for(Role.CITY)
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(LIST).content.decode()
    assert body.count('class="badge text-bg-warning"') == 2
    assert not [q for q in ctx.captured_queries if "duplicate" in q["sql"] and "possible_duplicate" not in q["sql"]]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_twins_withdrawn_at_the_same_moment_do_not_wait_for_each_other(postgres):
    """Each withdrawal locks its application and refreshes its twin's flag: the twin locked by the other withdrawal
    is skipped (its own refresh sets it), never waited for, so neither ends in a deadlock."""
    from applications.models import Application
    from applications.services import application_withdraw
    from tests.factories.applications import ensure_counties
    from tests.race import race

    ensure_counties()
    for _round in range(3):
        first = application_in(Status.SUBMITTED)
        twin = application_in(Status.SUBMITTED, category=first.category, enterprise=first.enterprise)
        user = enterprise_user(first)
        assert set(Application.objects.filter(pk__in=[first.pk, twin.pk], possible_duplicate=True)
                   .values_list("pk", flat=True)) == {first.pk, twin.pk}
        outcomes = race(lambda pk, actor: application_withdraw(application=Application.objects.get(pk=pk),
                                                               actor=actor), [(first.pk, user), (twin.pk, user)])
        assert [kind for kind, _value in outcomes] == ["ok", "ok"], outcomes
        assert not Application.objects.filter(pk__in=[first.pk, twin.pk], possible_duplicate=True).exists()
        assert set(Application.objects.filter(pk__in=[first.pk, twin.pk]).values_list("status", flat=True)) == {
            Status.WITHDRAWN}


def test_the_set_wise_recomputation_agrees_with_the_per_row_checks():
    """refresh_all (set-wise) and duplicate_flags (per row) flag the same applications: twins, a file shared by two
    enterprises, a file shared within one enterprise only, a holder that is withdrawn or a draft, a subsidy."""
    from applications.duplicates import refresh_all
    from applications.models import Application, Attachment

    category, other_category = category_with_rules(), category_with_rules()
    first = application_in(Status.SUBMITTED, category=category)
    application_in(Status.FORWARDED, category=category, enterprise=first.enterprise)  # twins
    application_in(Status.WITHDRAWN, category=other_category, enterprise=first.enterprise)
    lone = application_in(Status.SUBMITTED, category=other_category)
    application_in(Status.DRAFT, category=other_category, enterprise=lone.enterprise)  # a draft twin: no
    same_firm = application_in(Status.SUBMITTED, category=category, enterprise=lone.enterprise)
    a = application_in(Status.SUBMITTED, category=category)
    b = application_in(Status.QUALIFIED, category=category)
    gone = application_in(Status.WITHDRAWN, category=category)
    application_in(Status.SUBMITTED, other_subsidy=True)

    def attach(app, digest, slot=0):
        material = list(app.category.materials.all())[slot]
        Attachment.objects.create(application=app, material=material, file="a.pdf", original_name="a.pdf",
                                  sha256=digest, size=1, content_type="application/pdf", file_type="pdf")

    attach(a, "ab" * 32)
    attach(b, "ab" * 32)  # two enterprises: both flagged
    attach(lone, "cd" * 32)
    attach(same_firm, "cd" * 32)  # one enterprise: not a duplicate
    attach(gone, "ef" * 32)
    attach(first, "ef" * 32)  # the other holder is withdrawn: not a duplicate
    for wrong in (False, True):
        Application.objects.update(possible_duplicate=wrong)
        assert refresh_all() > 0
        kept, computed = _kept_and_computed()
        assert kept == computed, wrong
    assert {a.pk, b.pk, first.pk} <= kept and not {lone.pk, same_firm.pk, gone.pk} & kept


def test_a_change_leaves_alone_the_holders_of_a_file_two_other_enterprises_hold():
    """The holders of a file that active applications of two other enterprises hold keep their flag whatever one
    application does: a change does not check them again (a blank template links thousands). A file only one
    other enterprise holds still brings its holders in, and so does one held by a withdrawn application."""
    from applications.duplicates import affected

    category = category_with_rules()
    a, b, c = (application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory())
               for _ in range(3))
    for app in (a, b):
        _with_file(app, MINIMAL_PDF + b"% template\n")
    assert affected([a.pk]) == {a.pk, b.pk}  # b's flag rests on a alone
    _with_file(c, MINIMAL_PDF + b"% template\n")
    assert affected([a.pk]) == {a.pk}  # b and c flag each other whatever a becomes
    assert affected([c.pk]) == {c.pk}
    c.status = Status.WITHDRAWN
    c.save(update_fields=["status"])
    assert affected([a.pk]) == {a.pk, b.pk, c.pk}  # the withdrawn c counts no more
    kept, computed = _kept_and_computed()
    assert kept == computed == {a.pk, b.pk}


def test_each_identical_file_lists_its_own_first_holders(client_for):
    """Two files of one application: one held by more applications than the page lists, one by a single other;
    the rare one's holder is listed too, and only the first holders of the common one are read."""
    from applications.models import Attachment
    from applications.selectors import SHARED_FILES_SHOWN
    from tests.factories import MaterialFactory

    category = category_with_rules()
    first = category.materials.get()
    second = MaterialFactory(category=category, name="营业执照", sort_order=first.sort_order + 1)
    app = application_in(Status.SUBMITTED, category=category)
    _with_file(app, MINIMAL_PDF + b"% template\n")
    template = app.attachments.get(is_current=True)
    others = [application_in(Status.SUBMITTED, category=category) for _ in range(SHARED_FILES_SHOWN + 3)]
    rare_holder = application_in(Status.SUBMITTED, category=category)  # after them all: last by id and material
    Attachment.objects.bulk_create([
        Attachment(application=holder, material=material, file=template.file.name, original_name="承诺书.pdf",
                   sha256=sha, size=template.size, content_type=template.content_type, file_type=template.file_type)
        for holder, material, sha in [*((o, first, template.sha256) for o in others),
                                      (app, second, "ab" * 32), (rare_holder, first, "ab" * 32)]])
    page = client_for(Role.CITY).get(reverse("applications:detail", args=[app.pk]))
    shared = page.context["duplicates"]["shared_files"]
    assert rare_holder.pk in [att.application_id for att in shared]
    assert len(shared) == SHARED_FILES_SHOWN and page.context["duplicates"]["shared_files_more"] is True
    common = sorted(att.application_id for att in shared if att.application_id != rare_holder.pk)
    assert common == sorted(o.pk for o in others)[:SHARED_FILES_SHOWN - 1]
