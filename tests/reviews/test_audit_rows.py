"""Audit rows of the review stage never overflow the short from/to-state columns (64 characters): long names
(enterprise, firm, criterion) and long member lists go into the note. Found by the XSS suite: taking an entry of a
long-named enterprise off a support list failed with a database error."""

from decimal import Decimal

import pytest

from core.audit_notes import render_note
from core.models import AuditLog
from reviews.services.audits import audit_assign
from reviews.services.panels import panel_set_members
from reviews.services.rubrics import criterion_save, rubric_for
from reviews.services.support import support_list_remove_entry
from tests.factories.applications import category_with_rules
from tests.factories.reviews import ExpertFactory, auditor_firm, draft_support_list, panel_with, with_proposal

pytestmark = pytest.mark.django_db
LONG = "河南省郑州市某某高端装备智能制造股份有限公司" * 9  # 198 characters


def test_long_names_and_member_lists_are_recorded_in_the_note(city):
    support_list = draft_support_list(city, entries=2)
    entry = support_list.entries.first()
    type(entry).objects.filter(pk=entry.pk).update(enterprise_name=LONG)
    entry.refresh_from_db()
    support_list_remove_entry(actor=city, entry=entry, reason="资料不全")
    removed = AuditLog.objects.get(action="support_list.entry_removed")
    assert removed.data["enterprise"] == LONG and removed.note == "资料不全" and LONG in render_note(removed)

    firm = auditor_firm(LONG)
    category = category_with_rules()
    audit = audit_assign(actor=city, applications=[with_proposal("reviewed", city, category)], firm=firm)[0]
    assert AuditLog.objects.get(action="audit.assigned", object_id=str(audit.pk)).data == {"firm": LONG}

    rubric = rubric_for(category)
    criterion = criterion_save(actor=city, rubric=rubric, name=LONG[:100], max_points=Decimal("10"))
    criterion_save(actor=city, rubric=rubric, criterion=criterion, name=LONG[-100:], max_points=Decimal("20"),
                   expected_version=criterion.version)
    assert LONG[-100:] in render_note(AuditLog.objects.filter(action="rubric.criterion_saved").first())

    panel, members, _ = panel_with(experts=1, applications=0)
    many = [*members, *ExpertFactory.create_batch(25)]
    panel_set_members(actor=city, panel=panel, members=many, expected_version=panel.version)
    row = AuditLog.objects.get(action="panel.members")
    assert many[-1].user_id in row.data["members_user"] and len(row.from_state) <= 64 and len(row.to_state) <= 64
    assert many[-1].name in render_note(row)
