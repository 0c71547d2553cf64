"""The audit log's first and last pages read the index in its order, forwards and backwards (PostgreSQL)."""

import pytest
from django.db import connection

from accounts.roles import Role
from core.selectors import audit_log_list
from tests.applications.test_list_plans import plan
from tests.factories import UserFactory

ROWS = 20_000


@pytest.fixture
def long_log(postgres):
    """20,000 audit rows, several at each second (ties in the sort key), and fresh statistics."""
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO core_auditlog (created_at, actor_name, object_id, object_repr, action, from_state, to_state,
              note, data)
            SELECT now() - (g / 4) * interval '1 second', '', '', '项目' || g, 'application.submit', '', '', '', '{}'
            FROM generate_series(1, %s) g""", [ROWS])
        cursor.execute("ANALYZE core_auditlog")


def test_the_audit_logs_pages_at_either_end_read_its_order_index(long_log):
    rows = audit_log_list(actor=UserFactory.for_role(Role.CITY), filters={})
    first = plan(rows[:51])
    assert "audit_time_order" in first and "Sort Key" not in first, first
    for page in (rows.reverse()[:51], rows.reverse()[9950:10001]):  # page=last, the deepest page from the end
        text = plan(page)
        assert "Index Scan Backward using audit_time_order" in text and "Sort Key" not in text, text


@pytest.mark.parametrize("action", ["application.qualify", "application.submit"])
def test_the_log_filtered_by_one_action_reads_that_actions_rows_in_order(postgres, action):
    """One action among others: its pages read the action's own entries in the log's order, never the whole log's
    order filtered row by row. A rare action (a qualification now and then among logins every few seconds), and a
    common one whose entries all lie before the latest 5,000 (the submissions of a call that has closed)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO core_auditlog (created_at, actor_name, object_id, object_repr, action, from_state, to_state,
              note, data)
            SELECT now() - g * interval '1 second', '', '', '项目' || g,
              CASE WHEN g %% 100 = 0 THEN 'application.qualify' WHEN g > 5000 THEN 'application.submit'
                   ELSE 'auth.login' END, '', '', '', '{}'
            FROM generate_series(1, %s) g""", [ROWS])
        cursor.execute("ANALYZE core_auditlog")
    rows = audit_log_list(actor=UserFactory.for_role(Role.CITY), filters={"action": action})
    for page in (rows[:51], rows.reverse()[:51]):  # the first page and page=last
        text = plan(page)
        assert "audit_action_time_order" in text and "Sort Key" not in text and "Filter:" not in text, text
    assert [entry.action for entry in rows[:51]] == [action] * 51
    assert list(rows[:51]) == sorted(rows[:51], key=lambda entry: (entry.created_at, entry.pk), reverse=True)
