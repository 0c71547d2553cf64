"""The expert pool pages (reviews/views/experts.py): the contact phone is checked and kept when refused."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from reviews.models import ExpertProfile
from tests.factories.reviews import (
    ExpertFactory,
    logged_in,
)
from tests.helpers import input_value

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone", ["abc", "123", "1380013800a"])
def test_the_expert_form_refuses_a_phone_that_is_not_one(phone):
    expert = ExpertFactory()
    client = logged_in(role=Role.CITY)
    url = reverse("reviews:expert_edit", args=[expert.pk])
    data = {"name": expert.name, "title": expert.title, "specialties": expert.specialties,
            "employer_name": expert.employer_name, "employer_credit_code": expert.employer_credit_code,
            "county": expert.county_id, "contact_phone": phone, "is_active": "on", "version": expert.version}
    response = client.post(url, data)
    assert response.status_code == 200 and "contact_phone" in response.context["form"].errors
    assert input_value(response.content.decode(), "contact_phone") == phone
    expert.refresh_from_db()
    assert expert.contact_phone == "13800000000"
    response = client.post(url, {**data, "contact_phone": "0371-12345678"})
    assert response.status_code == 302
    assert ExpertProfile.objects.get(pk=expert.pk).contact_phone == "0371-12345678"
