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
    f.ensure_counties()
