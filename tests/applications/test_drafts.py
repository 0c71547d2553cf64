"""The draft service: the save note and the submission checklist name the fields as the form does."""

import pytest
from django.urls import reverse

from applications.workflow import Status
from core.models import AuditLog
from tests.factories.applications import (
    application_in,
    edit_draft,
    enterprise_user,
)

pytestmark = pytest.mark.django_db


def test_draft_note_names_money_fields_in_wan(client_for, draft):
    client = client_for(draft.user)
    assert edit_draft(client, draft, project_name=draft.project_name, total_investment="3500",
                      requested_amount="150").status_code == 302
    note = AuditLog.objects.filter(action="application.save_draft", object_id=str(draft.pk)).get().note
    assert "项目总投资（万元）" in note and "申请奖补金额（万元）" in note and "（元）" not in note
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert "项目总投资（万元）" in detail and "项目总投资（元）" not in detail


def test_an_empty_base_investment_is_an_unknown_ceiling_not_zero(client_for):
    """With 设备投资 empty the checklist and the page once read "最多0.00万元"."""
    from applications.services.drafts import submission_problems

    app = application_in(Status.DRAFT, equipment_investment=None)
    assert app.category.award_rule.base == "equipment"
    problems = " ".join(str(p) for p in submission_problems(app))
    assert "0.00" not in problems
    page = client_for(enterprise_user(app)).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "最多0.00" not in page
