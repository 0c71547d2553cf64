"""Years and indicators as data: catalogue, copying, weights, finalising, locking."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from core.models import AuditLog
from evaluation.constants import Level, Source, YearStatus
from evaluation.models import EvaluationYear, Indicator
from evaluation.services import years as svc
from tests.factories import UserFactory
from tests.factories.evaluation import city_user, year_with_catalogue

pytestmark = pytest.mark.django_db


def test_first_year_comes_from_the_catalogue_with_26_indicators_totalling_100():
    city = city_user()
    year = svc.year_create(actor=city, year=2021)
    indicators = list(year.indicators.all())
    assert [i.number for i in indicators] == list(range(1, 27))
    assert sum(i.weight for i in indicators) == Decimal("100")
    assert indicators[0].name == "预算执行率" and indicators[22].name == "受补贴企业满意度"
    by_source = {s: sum(1 for i in indicators if i.source == s) for s in Source.values}
    assert by_source == {"computed": 14, "statistics": 5, "judged": 7}
    assert {i.level for i in indicators} == set(Level.values)
    assert year.sections.count() == 13
    assert AuditLog.objects.filter(action="evaluation.year_create", object_id=str(year.pk)).exists()


def test_copy_a_year_to_the_next_keeps_definitions_but_not_results():
    city = city_user()
    source = year_with_catalogue(2021)
    ind = source.indicators.get(number=14)
    ind.deviation_reason = "超额完成"
    ind.save()
    source.sections.filter(key="unit").update(body="市工信局负责……")
    copy = svc.year_create(actor=city, year=2022, copy_from=source)
    copied = copy.indicators.get(number=14)
    assert (copied.name, copied.target_value, copied.weight) == (ind.name, ind.target_value, ind.weight)
    assert copied.deviation_reason == ""
    assert copy.sections.get(key="unit").body == "市工信局负责……"
    assert source.indicators.count() == copy.indicators.count() == 26
    with pytest.raises(ValidationError):
        svc.year_create(actor=city, year=2022, copy_from=source)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ENTERPRISE, Role.COUNTY, Role.ADMIN])
def test_only_city_staff_create_years(role):
    with pytest.raises(PermissionDenied):
        svc.year_create(actor=UserFactory.for_role(role), year=2021)
    assert not EvaluationYear.objects.exists()


def test_weights_must_total_100_and_a_bad_set_changes_nothing():
    city = city_user()
    year = year_with_catalogue()
    weights = dict(year.indicators.values_list("pk", "weight"))
    first = min(weights)
    bad = {**weights, first: weights[first] + 1}
    with pytest.raises(ValidationError, match="100"):
        svc.weights_update(actor=city, year=year, weights=bad)
    assert Indicator.objects.get(pk=first).weight == weights[first]
    second = sorted(weights)[1]
    good = {**weights, first: weights[first] + 1, second: weights[second] - 1}
    changed = svc.weights_update(actor=city, year=year, weights=good)
    assert len(changed) == 2
    assert Indicator.objects.get(pk=first).weight == weights[first] + 1


def test_finalising_needs_100_points_and_locks_the_year():
    city = city_user()
    year = year_with_catalogue()
    Indicator.objects.filter(year=year, number=26).update(weight=Decimal("1"))
    with pytest.raises(ValidationError):
        svc.year_finalise(actor=city, year=year)
    Indicator.objects.filter(year=year, number=26).update(weight=Decimal("4"))
    svc.year_finalise(actor=city, year=year)
    year.refresh_from_db()
    assert year.status == YearStatus.FINAL and year.version == 1
    with pytest.raises(ValidationError):
        svc.section_update(actor=city, year=year, key="unit", body="x")
    with pytest.raises(PermissionDenied):
        svc.year_reopen(actor=UserFactory.for_role(Role.OFFICIAL), year=year)
    svc.year_reopen(actor=city, year=year, note="补充材料")
    year.refresh_from_db()
    assert year.status == YearStatus.DRAFT
    assert list(AuditLog.objects.filter(object_id=str(year.pk)).values_list("action", flat=True)[:2]) == [
        "evaluation.year_reopen", "evaluation.year_finalise"]


def test_target_display_reads_like_the_report():
    year = year_with_catalogue()
    displays = dict(year.indicators.values_list("number", "target_text"))
    assert displays[11] == "≥200家" and displays[2] == "合理"
    ind = year.indicators.get(number=11)
    ind.target_text = ""
    assert ind.target_display == "≥ 200家"
