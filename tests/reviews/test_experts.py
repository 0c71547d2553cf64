"""The review settings of a call: reading them writes nothing, config_update stores them from plain values."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core.audit_notes import render_note
from core.locking import StaleEdit
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from reviews.models import ReviewConfig
from reviews.services.common import config_for
from reviews.services.experts import config_update
from tests.factories import UserFactory
from tests.factories.applications import RoundFactory
from tests.factories.reviews import logged_in

pytestmark = pytest.mark.django_db


def test_reading_the_settings_stores_nothing():
    round_ = RoundFactory()
    config = config_for(round_)
    assert config.pk is None and config.experts_per_application == 5 and config.version == 1
    assert not ReviewConfig.objects.exists()


def test_the_first_change_stores_the_row_with_an_audit_row(city):
    round_ = RoundFactory()
    config = config_update(actor=city, round_=round_, expected_version=1, experts_per_application=3,
                           outlier_distance=Decimal("12.5"))
    stored = ReviewConfig.objects.get(round=round_)
    assert stored.pk == config.pk
    assert (stored.experts_per_application, stored.outlier_distance, stored.version) == (3, Decimal("12.5"), 2)
    assert stored.publicity_working_days == 5  # not given: the default
    audit = AuditLog.objects.get(action="review_config.updated")
    assert audit.actor == city and "reviews.ReviewConfig.experts_per_application" in audit.data["fields"]
    with translation.override("zh-hans"):
        assert str(ReviewConfig._meta.get_field("experts_per_application").verbose_name) in render_note(audit)

    config_update(actor=city, round_=round_, expected_version=2, publicity_working_days=7)
    stored.refresh_from_db()
    assert (stored.publicity_working_days, stored.version) == (7, 3)


@pytest.mark.parametrize("fields", [{"experts_per_application": 0}, {"publicity_working_days": 31},
                                    {"aggregation_method": "median-ish"}, {"outlier_distance": Decimal("-1")}])
def test_values_out_of_range_are_refused_in_chinese_and_nothing_is_stored(city, fields):
    round_ = RoundFactory()
    with pytest.raises(ValidationError) as caught:
        config_update(actor=city, round_=round_, expected_version=1, **fields)
    message = " ".join(caught.value.messages)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert not ReviewConfig.objects.exists()
    assert not AuditLog.objects.exists()


def test_a_stale_page_and_a_wrong_role_are_refused(city):
    round_ = RoundFactory()
    config_update(actor=city, round_=round_, expected_version=1, experts_per_application=4)
    with pytest.raises(StaleEdit):
        config_update(actor=city, round_=round_, expected_version=1, experts_per_application=6)
    with pytest.raises(TransitionNotAllowed):
        config_update(actor=UserFactory(role=Role.COUNTY), round_=round_, expected_version=2,
                      experts_per_application=6)
    assert ReviewConfig.objects.get(round=round_).experts_per_application == 4


def test_the_pages_read_without_writing_and_the_form_saves(city):
    round_ = RoundFactory()
    client = logged_in(city)
    assert client.get(reverse("reviews:round", args=[round_.pk])).status_code == 200
    page = client.get(reverse("reviews:config", args=[round_.pk]))
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == 1  # the defaults' version goes out with the form
    assert not ReviewConfig.objects.exists()
    response = client.post(reverse("reviews:config", args=[round_.pk]), {
        "experts_per_application": 3, "aggregation_method": config_for(round_).aggregation_method,
        "outlier_distance": "15", "comment_required_below": "60", "publicity_working_days": "6", "version": 1})
    assert response.status_code == 302
    assert ReviewConfig.objects.get(round=round_).publicity_working_days == 6
