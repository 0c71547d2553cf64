"""The planner serves the list pages and their search from the intended indexes (PostgreSQL).

A few thousand rows and fresh statistics; ``enable_seqscan = off`` makes the check a hint check that does not
depend on the table's size: whenever an index can serve the query the plan names it, and a query no index can
serve would still show a Seq Scan on applications (the assertion then fails)."""

import re

import pytest
from django.db import connection

from accounts.models import County, Organisation
from accounts.roles import Role
from applications.selectors import DEFAULT_SORT, application_rows
from applications.workflow import Status
from core import search
from core.paging import COUNT_CAP, capped_keys, keys_sql
from core.search import RELATED_IDS, _term_q
from tests.factories import UserFactory, application_in, category_with_rules

ROWS, ENTERPRISES = 50_000, 5_000
NAME_INDEXES = {"app_project_name_trgm": ("applications_application", "(UPPER(project_name)) gin_trgm_ops"),
                "org_name_trgm": ("accounts_organisation", "(UPPER(name)) gin_trgm_ops"),
                "app_project_name_bigrams": ("applications_application", "(bigrams(UPPER(project_name)))"),
                "org_name_bigrams": ("accounts_organisation", "(bigrams(UPPER(name)))")}


@pytest.fixture
def big_list(postgres, monkeypatch):
    """50,000 submitted applications of 5,000 enterprises in 16 counties, four statuses; the trigram and bigram
    indexes are built after the rows (faster than maintaining them row by row). "智能化" is in 5 project names,
    "宇通重工" in 3 enterprise names."""
    template = application_in(Status.SUBMITTED, category=category_with_rules())
    with connection.cursor() as cursor:
        for name in NAME_INDEXES:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("""
            INSERT INTO accounts_organisation (kind, name, credit_code, county_id, is_verified, is_active, created_at,
              version, industry, is_above_scale, legal_representative, contact_person, contact_phone, address,
              bank_account_name, bank_name, bank_account_no)
            SELECT o.kind, '郑州' || CASE WHEN g %% 2000 = 7 THEN '宇通重工' ELSE '制造' END || g || '有限公司',
              '914101' || lpad(g::text, 12, '0'), c.id, true, true, now(), 1, o.industry, o.is_above_scale,
              o.legal_representative, o.contact_person, o.contact_phone, o.address, o.bank_account_name,
              o.bank_name, o.bank_account_no
            FROM generate_series(1, %s) g
            JOIN accounts_organisation o ON o.id = %s
            JOIN accounts_county c ON c.sort_order = 1 + g %% 16""", [ENTERPRISES, template.enterprise_id])
        cursor.execute("""
            INSERT INTO applications_application (status, version, project_name, construction_type, location,
              description, expected_outcomes, other_subsidy, other_subsidy_detail, declaration_accepted, receipt_no,
              return_reason, county_opinion, re_review_reason, created_at, updated_at, county_id, enterprise_id,
              category_id, round_id, first_submitted_at, requested_amount, possible_duplicate)
            SELECT (ARRAY['submitted', 'county_accepted', 'forwarded', 'qualified'])[1 + g %% 4], 1,
              CASE WHEN g %% 10000 = 11 THEN '数控机床智能化改造' ELSE '生产线技术改造' END || '项目' || g,
              a.construction_type, a.location, '', '', false, '', true,
              r.year || '-' || c.abbreviation || '-' || lpad(g::text, 7, '0'), '', '', '', now(), now(),
              o.county_id, o.id, a.category_id, a.round_id, now() - g * interval '1 minute', 1000000,
              g %% 200 = 7
            FROM generate_series(1, %s) g
            JOIN accounts_organisation o ON o.credit_code = '914101' || lpad((1 + g %% %s)::text, 12, '0')
            JOIN accounts_county c ON c.id = o.county_id
            JOIN applications_application a ON a.id = %s
            JOIN applications_round r ON r.id = a.round_id""", [ROWS, ENTERPRISES, template.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred foreign keys now: no pending events
        for name, (table, expression) in NAME_INDEXES.items():
            cursor.execute(f"CREATE INDEX {name} ON {table} USING gin ({expression})")
        cursor.execute("ANALYZE applications_application")
        cursor.execute("ANALYZE accounts_organisation")
    monkeypatch.setattr(search, "_COMMON", {})  # the statistics of these rows, not those an earlier test cached
    return template


def plan(qs):
    return plan_sql(*qs.query.sql_with_params())


def plan_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return text


def enterprises(term):
    """The enterprise lookup a search runs before the list's query (core.search._related_match)."""
    inner = _term_q(Organisation, term, {"codes": ["credit_code"], "names": ["name"]})
    return Organisation.objects.filter(inner).order_by().values_list("pk", flat=True)[: RELATED_IDS + 1]


def page_and_count(user, filters=None, sort=DEFAULT_SORT):
    rows, count_qs = application_rows(user, filters or {}, sort)
    return plan(rows[:50]), plan(count_qs[:10_001])


def searched(user, filters, sort=DEFAULT_SORT):
    """The plans of what a searched list page runs (core.paging's keyed pages): the first page's keys with the
    capped count in one statement; the last page's keys, read backwards."""
    rows, count_qs = application_rows(user, filters, sort)
    keys = count_qs.order_by(*rows.query.order_by)
    return [plan_sql(*keys_sql(capped_keys(ordered, COUNT_CAP), 0, 51)) for ordered in (keys, keys.reverse())]


def assert_uses(text, *indexes):
    """No Seq Scan on applications; one of ``indexes`` in the plan (any index when none is named)."""
    assert "Seq Scan on applications_application" not in text, text
    assert any(re.search(rf"\b{name}\b", text) for name in indexes) if indexes else "Index" in text, text


def check_city_list_default_order_and_filters_use_the_order_indexes(big_list):
    city = UserFactory.for_role(Role.CITY)
    page, count = page_and_count(city)
    assert_uses(page, "app_submitted_order")
    assert "Sort Key" not in page  # the index gives the order: the first 50 rows are read, nothing sorted
    assert_uses(count)
    # a quarter of the rows: walking the order index and skipping the others reads fewer rows than any other way
    page, _count = page_and_count(city, {"status": Status.FORWARDED})
    assert_uses(page, "app_status_submitted", "app_submitted_order")
    assert "Sort Key" not in page
    page, _count = page_and_count(city, {"round": big_list.round_id})
    assert_uses(page, "app_round_submitted", "app_submitted_order")
    page, _count = page_and_count(city, {"county": County.objects.get(name="金水区").pk})
    assert_uses(page, "app_county_submitted", "app_submitted_order")
    assert "Sort Key" not in page


def check_one_countys_status_by_amount_uses_its_index(big_list):
    """The city ranks a county's qualified applications by amount: the index gives the rows in that order."""
    city = UserFactory.for_role(Role.CITY)
    filters = {"status": Status.QUALIFIED, "county": County.objects.get(name="金水区").pk}
    page, count = page_and_count(city, filters, "-amount")
    assert_uses(page, "app_county_status_amount")
    assert "Sort Key" not in page
    # the capped count can read the index alone once the table is vacuumed (a million rows: 36 ms -> 3 ms): the
    # index carries the submission time every staff list filters on
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'app_county_status_amount'")
        assert cursor.fetchone()[0].endswith("INCLUDE (first_submitted_at)")


def check_county_list_uses_the_county_order_index(big_list):
    county = UserFactory(role=Role.COUNTY, county=County.objects.get(name="中原区"))
    page, count = page_and_count(county)
    assert_uses(page, "app_county_submitted", "app_submitted_order")
    assert "Sort Key" not in page
    assert_uses(count)


def check_search_by_credit_code_prefix_uses_the_code_indexes(big_list):
    city = UserFactory.for_role(Role.CITY)
    # the enterprises are looked up first (core.search): by the varchar_pattern_ops index of the credit code
    assert "accounts_organisation_credit_code" in plan(enterprises("91410100000000123"))
    page, count = page_and_count(city, {"q": "91410100000000123"})
    for text in (page, count):
        assert_uses(text, "app_enterprise_submitted", "app_enterprise_category")
    # the page's keys and count: no receipt number starts so, the enterprises' applications alone (on a vacuumed
    # table, as autovacuum keeps it, from app_enterprise_submitted without reading the table: not checked here, in
    # the test's own transaction nothing can be vacuumed)
    for text in searched(city, {"q": "91410100000000123"}):
        assert_uses(text, "app_enterprise_submitted", "app_enterprise_category")
        assert "receipt_no" not in text, text


def check_search_by_a_three_character_name_uses_the_trigram_indexes(big_list):
    city = UserFactory.for_role(Role.CITY)
    assert "org_name_trgm" in plan(enterprises("智能化"))
    page, count = page_and_count(city, {"q": "智能化"})
    for text in (page, count, *searched(city, {"q": "智能化"})):
        assert_uses(text, "app_project_name_trgm")
    assert "org_name_trgm" in plan(enterprises("宇通重工"))
    page, count = page_and_count(city, {"q": "宇通重工"})
    for text in (page, count):
        assert_uses(text, "app_enterprise_submitted", "app_enterprise_category")


def check_search_by_a_one_or_two_character_name_uses_the_bigram_indexes(big_list):
    """No trigram in a term this short: the bigram index finds the 5 projects with 机床 and the 3 enterprises with
    宇通 instead of a trigram index returning every row to recheck."""
    city = UserFactory.for_role(Role.CITY)
    for term in ("机床", "数"):
        page, count = page_and_count(city, {"q": term})
        for text in (page, count, *searched(city, {"q": term})):
            assert_uses(text, "app_project_name_bigrams")
            assert "app_project_name_trgm" not in text
    assert "org_name_bigrams" in plan(enterprises("宇通"))
    assert "org_name_bigrams" in plan(enterprises("宇"))


def check_a_common_short_term_walks_the_order_index_without_the_bigram_condition(big_list):
    """项目 is in every project name (the index's statistics say so): the first rows of the order index hold it,
    and computing bigrams() for every row the count reads would only cost time."""
    city = UserFactory.for_role(Role.CITY)
    page, count = page_and_count(city, {"q": "项目"})
    assert_uses(page, "app_submitted_order")
    assert "bigrams" not in page and "bigrams" not in count
    for text in searched(city, {"q": "项目"}):  # the first and the last 10,001 matches: the order index
        assert_uses(text, "app_submitted_order")
        assert "bigrams" not in text and "Sort Key" not in text, text
    assert "bigrams" in plan(enterprises("宇通"))  # rare in the enterprise names


def check_search_by_receipt_number_prefix_uses_the_pattern_index(big_list):
    county = UserFactory(role=Role.COUNTY, county=County.objects.get(name="中原区"))
    page, count = page_and_count(county, {"q": f"{big_list.round.year}-ZY-00001"})
    for text in (page, count, *searched(county, {"q": f"{big_list.round.year}-ZY-00001"})):
        assert_uses(text, "applications_application_receipt_no_e6ed664a_like")


def check_the_last_pages_read_the_order_indexes_backwards(big_list):
    """page=last and the deepest page from the end (core.paging): the reversed order read from the same index,
    backwards, no sort of the rows."""
    city = UserFactory.for_role(Role.CITY)
    rows, _count = application_rows(city, {}, DEFAULT_SORT)
    filtered, _count = application_rows(city, {"status": Status.FORWARDED}, DEFAULT_SORT)
    # (a status's deepest page, 10,000 of its 12,500 rows here, is cheaper sorted: not checked at this size)
    for page, index in ((rows.reverse()[:51], "app_submitted_order"),
                        (rows.reverse()[9950:10001], "app_submitted_order"),
                        (filtered.reverse()[:51], "app_status_submitted")):
        text = plan(page)
        assert_uses(text, index, "app_submitted_order")
        assert "Index Scan Backward" in text and "Sort Key" not in text, text


def check_the_pages_pick_their_keys_from_the_order_index_before_any_join(big_list):
    """core.paging reads a page's keys first (from the count queryset, in the list's order), then the rows: the
    keys come from the order index, read forwards or backwards and far into it, without the enterprise's join."""
    from django.db.models import Subquery

    city = UserFactory.for_role(Role.CITY)
    rows, count_qs = application_rows(city, {}, DEFAULT_SORT)
    for reverse, (bottom, top) in ((False, (0, 51)), (False, (9950, 10001)), (True, (0, 51))):
        shown, keys = (rows.reverse(), count_qs.order_by(*rows.query.order_by).reverse()) if reverse else \
            (rows, count_qs.order_by(*rows.query.order_by))
        text = plan(shown.filter(pk__in=Subquery(keys.values("pk")[bottom:top])))
        # the keys: the order index alone (no table, no join) under the subquery's LIMIT, then 51 rows joined
        direction = " Backward" if reverse else ""
        assert re.search(rf"Limit [^\n]*\n\s+->  Index Only Scan{direction} using app_submitted_order\b", text), text
        assert "Seq Scan" not in text and text.count("Sort Key") == 1, text


def check_deep_pages_read_their_keys_from_the_order_index_through_one_statement(big_list):
    """A page deeper than the statements compiled per page position reads its keys through one prepared statement,
    its OFFSET a parameter (core.paging's ``_statement_keys``): the plan the session keeps for every page reads the
    order index alone."""
    from django.test.utils import CaptureQueriesContext

    from applications.selectors import application_rows_statement
    from core.paging import _statement_keys

    city = UserFactory.for_role(Role.CITY)
    statement = application_rows_statement(city, {}, DEFAULT_SORT)
    count_statement = application_rows_statement(city, {}, DEFAULT_SORT, count=True)
    for reverse in (False, True):
        with CaptureQueriesContext(connection) as ctx:
            assert len(_statement_keys(statement, count_statement, 9950, 10001, reverse)) == 51
        execute = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("EXECUTE")]
        assert execute, ctx.captured_queries
        text = plan_sql(execute[-1], [])
        direction = " Backward" if reverse else ""
        assert f"Index Only Scan{direction} using app_submitted_order" in text, text
        assert "Sort" not in text and "Join" not in text, text


def check_the_duplicates_filter_reads_its_partial_index(big_list):
    """"Only possible duplicates" (the kept flag, one row in 200 here): the partial index gives them in the list's
    order, not a walk through every row."""
    city = UserFactory.for_role(Role.CITY)
    page, count = page_and_count(city, {"duplicates": True})
    assert_uses(page, "app_duplicate_submitted")
    assert "Sort Key" not in page
    assert_uses(count, "app_duplicate_submitted")


def check_the_latest_forwarding_of_a_call_reads_the_end_of_its_index(big_list):
    """The review-timeliness indicator's latest forwarding in a call (evaluation.computed.adapters), which the
    self-evaluation report computes: at a million applications a scan took 115 ms."""
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from applications.models import Application

    with connection.cursor() as cursor:
        cursor.execute("UPDATE applications_application SET forwarded_at = first_submitted_at "
                       "WHERE status IN ('forwarded', 'qualified')")
        cursor.execute("ANALYZE applications_application")
    with CaptureQueriesContext(connection) as ctx:
        Application.objects.filter(round_id=big_list.round_id).aggregate(m=Max("forwarded_at"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + ctx.captured_queries[-1]["sql"])
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    assert re.search(r"Index Only Scan Backward using app_round_forwarded\b", text), text


def test_the_list_queries_use_the_intended_indexes(big_list):
    """One table for every check (building it is the slow part)."""
    check_city_list_default_order_and_filters_use_the_order_indexes(big_list)
    check_the_pages_pick_their_keys_from_the_order_index_before_any_join(big_list)
    check_deep_pages_read_their_keys_from_the_order_index_through_one_statement(big_list)
    check_the_duplicates_filter_reads_its_partial_index(big_list)
    check_the_last_pages_read_the_order_indexes_backwards(big_list)
    check_one_countys_status_by_amount_uses_its_index(big_list)
    check_county_list_uses_the_county_order_index(big_list)
    check_search_by_credit_code_prefix_uses_the_code_indexes(big_list)
    check_search_by_a_three_character_name_uses_the_trigram_indexes(big_list)
    check_search_by_a_one_or_two_character_name_uses_the_bigram_indexes(big_list)
    check_a_common_short_term_walks_the_order_index_without_the_bigram_condition(big_list)
    check_search_by_receipt_number_prefix_uses_the_pattern_index(big_list)
    check_the_latest_forwarding_of_a_call_reads_the_end_of_its_index(big_list)  # last: it changes rows
