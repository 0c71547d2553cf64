"""The demo data: the 2021 call with about 320 applications in realistic states, an open 2027 call, idempotent."""

import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Organisation
from accounts.validators import validate_credit_code
from applications import demo
from applications.models import Application, Attachment, ReceiptCounter, Round
from applications.selectors import open_round
from applications.workflow import Status

pytestmark = pytest.mark.django_db


def test_demo_seed_is_realistic_and_idempotent():
    accounts_demo.seed()
    out = io.StringIO()
    demo.seed(stdout=out)
    counts = (Organisation.objects.count(), Application.objects.count(), Attachment.objects.count())
    round_2021 = Round.objects.get(year=2021)
    apps = Application.objects.filter(round=round_2021)
    assert 300 <= apps.count() <= 340
    assert Organisation.objects.filter(kind="enterprise").count() >= 250
    assert apps.values("county").distinct().count() == 16
    assert apps.filter(status=Status.QUALIFIED).count() >= 200
    assert set(apps.values_list("status", flat=True)) >= {
        Status.SUBMITTED, Status.RETURNED, Status.DECLINED, Status.COUNTY_ACCEPTED, Status.FORWARDED,
        Status.CITY_ACCEPTED, Status.QUALIFIED, Status.DISQUALIFIED, Status.WITHDRAWN}
    for code in Organisation.objects.filter(kind="enterprise").values_list("credit_code", flat=True)[:300]:
        validate_credit_code(code)
    # receipt numbers continue from the seeded counters
    zy = ReceiptCounter.objects.get(round=round_2021, county__abbreviation="ZY")
    assert apps.filter(receipt_no=f"2021-ZY-{zy.last_number:04d}").exists()
    # an open call where the demo enterprise has applications in several states
    current = open_round()
    assert current is not None and current.year == 2027 and current.closes_at > timezone.now()
    demo_apps = Application.objects.filter(round=current, enterprise__credit_code=demo.DEMO_CREDIT_CODE)
    assert set(demo_apps.values_list("status", flat=True)) == {Status.DRAFT, Status.SUBMITTED, Status.RETURNED}
    # the enterprise registry: registered and unregistered enterprises match the open call, the demo enterprise
    # is not in it, and the city has invited a few of them
    from applications.matching import category_matches
    from applications.models import Invitation
    from credit.models import RegistryEntry

    assert RegistryEntry.objects.count() == 30
    assert not RegistryEntry.objects.filter(credit_code=demo.DEMO_CREDIT_CODE).exists()
    matches = category_matches(current.categories.order_by("sort_order", "id").first())
    assert any(m.organisation for m in matches) and any(m.organisation is None for m in matches)
    invited = Invitation.objects.filter(round=current)
    assert invited.exclude(draft=None).count() == 3 and invited.filter(organisation=None).count() == 1
    # idempotent
    demo.seed(stdout=io.StringIO())
    assert (Organisation.objects.count(), Application.objects.count(), Attachment.objects.count()) == counts
    assert RegistryEntry.objects.count() == 30 and Invitation.objects.count() == 4
    assert "applications:" in out.getvalue()
