"""Every audit action the code can write has a human name (the audit log never shows a bare code)."""

import re
from pathlib import Path

from django.conf import settings

from core.audit import ACTION_LABELS, action_label

APPS = ("accounts", "applications", "core", "disbursements", "evaluation", "reviews")
LITERAL = re.compile(r"""(?:audit_action|action)=["']([a-z_]+\.[a-z_]+)["']""")
TEMPLATE = re.compile(r"""audit_action=f["']([a-z_]+)\.\{action\}["']""")


def _tables():
    import applications.workflow as aw
    import disbursements.workflow as dw
    import reviews.workflow as rw

    return {
        "application": [aw.TRANSITIONS, rw.REVIEW_TRANSITIONS, dw.APPLICATION_TRANSITIONS],
        "assignment": [rw.ASSIGNMENT_TRANSITIONS],
        "objection": [rw.OBJECTION_TRANSITIONS],
        "batch": [dw.BATCH_TRANSITIONS],
        "payment": [dw.PAYMENT_TRANSITIONS],
        "diagnosis_contract": [dw.CONTRACT_TRANSITIONS],
    }


def _sources():
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


def test_every_literal_action_code_has_a_label():
    codes = {code for _path, text in _sources() for code in LITERAL.findall(text)}
    assert len(codes) > 60  # the scan itself works
    missing = sorted(code for code in codes if code not in ACTION_LABELS)
    assert not missing, missing


def test_every_workflow_action_written_as_prefix_dot_action_has_a_label():
    tables = _tables()
    prefixes = {prefix for _path, text in _sources() for prefix in TEMPLATE.findall(text)}
    assert prefixes, "no f-string audit codes found: the scan is broken"
    unknown = prefixes - set(tables)
    assert not unknown, f"add the transition tables of {unknown} to this test"
    missing = sorted(f"{prefix}.{action}" for prefix in prefixes for table in tables[prefix]
                     for (_state, action) in table if f"{prefix}.{action}" not in ACTION_LABELS)
    assert not missing, missing


def test_labels_are_translated_and_unknown_codes_fall_back_to_the_code():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(action_label("batch.approve")) == "付款批次已审批"
        assert str(action_label("application.pay")) == "奖补资金已全额拨付"
    assert action_label("nobody.knows") == "nobody.knows"
