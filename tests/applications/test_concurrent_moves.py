"""Two county officers act on one application at the same moment from the same page state (PostgreSQL)."""

import pytest

from accounts.roles import Role
from applications.models import Application
from applications.services import application_accept, application_return
from applications.services.common import StaleEdit as ApplicationStale
from applications.workflow import Status
from core.locking import StaleEdit
from core.models import AuditLog
from tests.factories import UserFactory
from tests.factories.applications import application_in, ensure_counties
from tests.race import race


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_accept_and_return_one_wins_the_other_is_stale(postgres):
    ensure_counties()
    app = application_in(Status.SUBMITTED)
    first, second = (UserFactory(role=Role.COUNTY, county=app.county) for _ in range(2))
    seen = Application.objects.get(pk=app.pk).version  # both officers opened the page at this version

    def accept():
        application_accept(application=Application.objects.get(pk=app.pk), actor=first, note="材料齐全",
                           expected_version=seen)
        return "accept"

    def give_back():
        application_return(application=Application.objects.get(pk=app.pk), actor=second,
                           note="缺少营业执照", expected_version=seen)
        return "return"

    outcomes = race(lambda call: call(), [(accept,), (give_back,)])

    assert len(outcomes) == 2
    winners = [value for kind, value in outcomes if kind == "ok"]
    losers = [value for kind, value in outcomes if kind == "error"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], StaleEdit), losers
    assert str(losers[0].message) == str(ApplicationStale().message)  # the application's own stale message
    app.refresh_from_db()
    assert app.status == {"accept": Status.COUNTY_ACCEPTED, "return": Status.RETURNED}[winners[0]]
    assert app.version == seen + 1
    moves = AuditLog.objects.filter(object_id=str(app.pk), action__in=["application.accept", "application.return"])
    assert moves.count() == 1
    assert moves.get().action == f"application.{winners[0]}"
