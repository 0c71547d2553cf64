import pytest
from django.utils import translation

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


@pytest.fixture(autouse=True)
def _chinese():
    """Messages and pages in Chinese, as the amounts in them are checked in 万元."""
    with translation.override("zh-hans"):
        yield
