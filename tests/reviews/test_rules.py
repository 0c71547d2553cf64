"""reviews/rules.py: the object permissions reuse the selectors' scope (one definition of who sees what)."""

import pytest

from accounts.roles import Role
from reviews import selectors
from reviews.models import Assignment, Audit
from tests.factories import UserFactory
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def test_assignment_and_audit_permissions_agree_with_the_lists_for_every_role():
    world = build_world()
    assignments, audits = list(Assignment.objects.all()), list(Audit.objects.all())
    assert assignments and audits
    users = [*world.users.values(), UserFactory(role=Role.EXPERT), UserFactory(role=Role.AUDITOR)]
    for user in users:
        listed = set(selectors.assignments_for(user).values_list("pk", flat=True))
        for assignment in assignments:
            assert user.has_perm("reviews.score", assignment) == (assignment.pk in listed), (user.role, assignment)
        listed = set(selectors.audits_for(user).values_list("pk", flat=True))
        for audit in audits:
            assert user.has_perm("reviews.view_audit", audit) == (audit.pk in listed), (user.role, audit)


def test_only_the_firms_auditor_enters_its_audit():
    world = build_world()
    audit = world.own.audit
    assert world.users[Role.AUDITOR].has_perm("reviews.enter_audit", audit)
    assert not world.users[Role.CITY].has_perm("reviews.enter_audit", audit)  # sees it, does not enter it
    assert world.users[Role.CITY].has_perm("reviews.view_audit", audit)
    assert not world.users[Role.AUDITOR].has_perm("reviews.enter_audit", world.foreign.audit)
