import pytest

from tests.factories import disbursements as f


@pytest.fixture
def prep(db):
    return f.preparer(first_name="赵会计")


@pytest.fixture
def appr(db):
    return f.approver(first_name="孙科长")


@pytest.fixture
def commitment(db):
    return f.commitment("1000000.00")


@pytest.fixture
def counties(db):
    """Transactional tests flush the tables, the counties loaded by migration included: put them back."""
    from accounts.counties import COUNTIES
    from accounts.models import County

    for order, (name, code, abbreviation, kind) in enumerate(COUNTIES, start=1):
        County.objects.get_or_create(name=name, defaults={"division_code": code, "abbreviation": abbreviation,
                                                          "kind": kind, "sort_order": order})
