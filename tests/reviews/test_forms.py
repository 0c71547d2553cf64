"""The review forms: the expert form's contact phone."""

import pytest

from reviews.forms import ExpertForm
from tests.factories.reviews import (
    ExpertFactory,
)

pytestmark = pytest.mark.django_db


def test_the_expert_form_accepts_a_mobile_with_spaces():
    expert = ExpertFactory()
    form = ExpertForm({"name": "李四", "title": "", "specialties": "", "employer_name": "郑州大学",
                       "employer_credit_code": expert.employer_credit_code, "county": expert.county_id,
                       "contact_phone": "138 0013 8000", "is_active": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_phone"] == "13800138000"
