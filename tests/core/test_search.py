"""core.search: the one parser and query builder of every list's search box."""

import pytest
from django.db import connection

from accounts.models import County, Organisation
from accounts.validators import make_credit_code
from applications.models import Application
from applications.selectors import SEARCH_FIELDS
from applications.workflow import Status
from core import search
from core.search import apply_search, is_code_only, is_code_term, parse_search, search_q, trigram_splits_cjk
from tests.factories import EnterpriseFactory, ProfiledEnterpriseFactory, application_in, category_with_rules


def test_parse_search_trims_folds_full_width_and_bounds_the_terms():
    assert parse_search(None) == []
    assert parse_search("   ") == []
    assert parse_search("  郑州　宇通  ") == ["郑州", "宇通"]  # ideographic space splits
    assert parse_search("２０２１－ＺＹ") == ["2021-ZY"]  # full-width digits and letters become ASCII
    assert parse_search("a\x00b") == ["a", "b"]
    assert len(parse_search(" ".join("abcdefg"))) == 5
    assert len("".join(parse_search("x" * 500))) == 100


def test_code_terms_are_ascii_letters_digits_and_hyphens():
    assert is_code_term("2021-zy-00")
    assert is_code_term("91410102MA")
    assert not is_code_term("郑州")
    assert not is_code_term("-12")
    assert not is_code_term("ab_c")
    assert not is_code_term("１２")  # parse_search folds these first


def test_search_q_is_none_without_terms_and_impossible_for_a_term_no_field_can_hold():
    assert search_q("", model=Application, **SEARCH_FIELDS) is None
    condition = search_q("郑州", model=Application, codes=("receipt_no",))
    assert condition is not None and "pk__in" in str(condition)


@pytest.fixture
def apps_world(db):
    category = category_with_rules()
    zy, js = County.objects.get(name="中原区"), County.objects.get(name="金水区")
    first = application_in(Status.SUBMITTED, category=category, project_name="数控机床智能化改造",
                           enterprise=ProfiledEnterpriseFactory(name="郑州宇通重工有限公司", county=zy,
                                                                credit_code=make_credit_code("91410100AB1234567")))
    second = application_in(Status.SUBMITTED, category=category, project_name="新能源客车生产线",
                            enterprise=ProfiledEnterpriseFactory(name="河南中铁装备有限公司", county=js,
                                                                 credit_code=make_credit_code("91410200CD7654321")))
    return first, second


def found(text):
    return set(apply_search(Application.objects.all(), text, **SEARCH_FIELDS).values_list("pk", flat=True))


@pytest.mark.django_db
def test_receipt_numbers_and_credit_codes_match_exactly_or_by_prefix_in_any_case(apps_world):
    first, second = apps_world
    assert found(first.receipt_no) == {first.pk}
    assert found(first.receipt_no.lower()) == {first.pk}
    assert found(f"  {first.receipt_no[:-2]} ") >= {first.pk}
    assert found(first.enterprise.credit_code) == {first.pk}
    assert found("91410100ab") == {first.pk}
    assert found("9141") == {first.pk, second.pk}
    assert found(first.receipt_no[3:]) == set()  # the middle of a code is not a prefix


def test_a_long_code_term_is_only_a_code():
    assert is_code_only("91410102")
    assert is_code_only("2021-zy-0001")
    assert is_code_only("91410102MA00000611")
    assert not is_code_only("9141010")  # too short to be nothing but a code
    assert not is_code_only("ABCDEFGH12345")  # five digits
    assert not is_code_only("MES")
    assert not is_code_only("5G")
    assert not is_code_only("郑州91410102")


@pytest.mark.django_db
def test_a_code_is_not_looked_for_inside_the_names(apps_world):
    """A term that can only be a code matches the codes by prefix, not the names by substring; a short ASCII word
    still matches the names; a list without codes still searches its names with it."""
    first, second = apps_world
    named = application_in(Status.SUBMITTED, category=first.category, project_name="MES系统 91410100AB1234567 二期")
    code = first.enterprise.credit_code
    assert found(code) == {first.pk}
    assert found(code[:10]) == {first.pk}
    assert found("MES") == {named.pk}
    assert found("1234567") == {named.pk}  # seven characters: a name may hold it
    condition = search_q("91410100AB1234567", model=Application, names=("project_name",))
    assert set(Application.objects.filter(condition).values_list("pk", flat=True)) == {named.pk}


@pytest.mark.django_db
def test_a_word_is_looked_for_only_in_the_codes_it_can_start(apps_world):
    """A credit code has no hyphen, a receipt number starts with a four-digit year: each field is left out of the
    statement for a word that cannot start one of its values, and the results are the same."""
    first, _second = apps_world
    code, receipt = first.enterprise.credit_code, first.receipt_no

    def where(term):
        return str(apply_search(Application.objects.all(), term, **SEARCH_FIELDS).query).split(" WHERE ", 1)[1]

    assert "receipt_no" not in where(code[:12]) and "enterprise_id" in where(code[:12])
    assert "receipt_no" in where(receipt[:7]) and "enterprise_id" not in where(receipt[:7])
    assert "receipt_no" in where("9141") and "enterprise_id" in where("9141")  # a year or a credit code
    assert found(code[:12]) == {first.pk}
    assert found(receipt) == {first.pk}
    assert found(receipt[:8]) >= {first.pk}
    assert found("91410100AB-") == set()  # neither can start so


@pytest.mark.django_db
def test_names_match_by_substring_in_chinese_and_every_word_is_required(apps_world):
    first, second = apps_world
    assert found("宇通") == {first.pk}  # two characters: enterprise name
    assert found("智能化") == {first.pk}  # three characters: project name
    assert found("有限公司") == {first.pk, second.pk}
    assert found("中铁 客车") == {second.pk}
    assert found("中铁 机床") == set()
    assert found("客") == {second.pk}  # one character
    assert found("100%_") == set()  # LIKE wildcards are taken literally


SHORT_NAMES = ["余热回收利用改造", "节能余热发电", "工业余热", "余 热利用", "热余回收", "郑州ab余热Cd公司", "余"]


@pytest.mark.django_db
def test_short_names_terms_find_exactly_the_substring_matches_on_every_database(monkeypatch):
    """Terms of one or two characters: the bigram condition on PostgreSQL (ANDed with the LIKE), the LIKE alone
    elsewhere; the same rows either way: the names holding the term, in any case, wherever it stands."""
    monkeypatch.setattr(search, "_COMMON", {})  # no statistics of these rows: no term is known to be common
    orgs = {EnterpriseFactory(name=name).pk: name for name in SHORT_NAMES}

    def names_found(term):
        condition = search_q(term, model=Organisation, names=("name",))
        qs = Organisation.objects.filter(condition, pk__in=orgs)
        short = all(len(word) <= 2 for word in term.split())
        assert ("bigrams(UPPER(" in str(qs.query)) == (connection.vendor == "postgresql" and short)
        return {orgs[pk] for pk in qs.values_list("pk", flat=True)}

    for term in ["余热", "热余", "热利", "收利", "余", "热", "公司", "ab", "AB", "b余", "B余", "热c", "Cd", "d公",
                 "x", "热回收"]:
        expected = {name for name in SHORT_NAMES if term.upper() in name.upper()}
        assert names_found(term) == expected, term
    assert names_found("余热") == {"余热回收利用改造", "节能余热发电", "工业余热", "郑州ab余热Cd公司"}  # not "余 热"
    assert names_found("余 热") == {"余 热利用", "热余回收", "余热回收利用改造", "节能余热发电", "工业余热",
                                   "郑州ab余热Cd公司"}  # two words, each required
    assert names_found("%热") == set()  # a LIKE wildcard is a character like any other


@pytest.mark.django_db
def test_a_short_term_uses_the_bigram_condition_only_on_fields_with_a_bigram_index(apps_world):
    first, second = apps_world
    condition = search_q("宇通", model=Application, names=("project_name", "location"))
    assert "project_name__bigram_icontains" in str(condition) and "location__icontains" in str(condition)
    assert "bigram_icontains" not in str(search_q("智能化", model=Application, names=("project_name",)))
    assert found("机床") == {first.pk} and found("客车") == {second.pk}


@pytest.mark.django_db
def test_related_names_are_looked_up_first_as_literal_ids_or_a_semi_join_when_common(apps_world, monkeypatch):
    first, second = apps_world
    sql = str(apply_search(Application.objects.all(), "宇通", **SEARCH_FIELDS).query)
    assert f'"enterprise_id" IN ({first.enterprise_id})' in sql  # the planner sees how many rows it selects
    monkeypatch.setattr("core.search.RELATED_IDS", 1)
    qs = apply_search(Application.objects.all(), "有限公司", **SEARCH_FIELDS)
    assert '"enterprise_id" IN (SELECT' in str(qs.query)  # a common word: a semi-join the order index can walk
    assert set(qs.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert found("没有这家企业") == set()


@pytest.mark.django_db
def test_a_terms_cheap_alternatives_come_first_and_the_names_substrings_last(apps_world):
    """The database tests a term's alternatives in their order on every row it reads: the related rows' ids, then
    the code prefixes, then the upper-cased substrings of the names."""
    first, second = apps_world
    code = first.enterprise.credit_code[:4]  # the start of a receipt number, a credit code or a word of a name
    where = str(apply_search(Application.objects.all(), code, **SEARCH_FIELDS).query).split(" WHERE ", 1)[1]
    ids, receipt, name = (where.index(part) for part in ('"enterprise_id" IN', '"receipt_no"', '"project_name"'))
    assert ids < receipt < name, where
    assert set(apply_search(Application.objects.all(), code, **SEARCH_FIELDS).values_list("pk", flat=True)) == \
        {first.pk, second.pk}


@pytest.mark.django_db
def test_this_databases_trigrams_keep_chinese_characters():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    # the migrations created pg_trgm; under the C locale Chinese characters would give no trigram at all
    assert trigram_splits_cjk(connection) is True
    # the bigrams are cut with substr: the same under any locale, Chinese, spaces and all
    with connection.cursor() as cursor:
        cursor.execute("SELECT bigrams(UPPER(%s))", ["余热 ab"])
        assert sorted(cursor.fetchone()[0]) == sorted(["余热", "热 ", " A", "AB", "余", "热", " ", "A", "B"])


@pytest.mark.django_db
def test_the_database_check_warns_when_trigrams_drop_chinese(monkeypatch):
    from core import checks

    assert checks.trigram_locale(databases=["default"]) == []
    monkeypatch.setattr(checks, "trigram_splits_cjk", lambda connection: False)
    (warning,) = checks.trigram_locale(databases=["default"])
    assert warning.id == "core.W001" and "LC_CTYPE" in warning.msg
