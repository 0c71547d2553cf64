"""One permission source: no role comparison outside accounts/roles.py and the apps' rules.py.

Views, services, forms, exports, dashboards, navigation, app configs and templates ask a named `rules`
permission (``user.has_perm("app.verb_noun")``, ``perms.app.codename``, ``core.permissions.require``). Allowed
to name roles: the rules and roles modules, the workflow tables (role-based data checked by core.workflow),
the selectors (list scope), models (the role field and its validation), demo data and migrations; and anywhere,
``role=Role.X`` as data (creating a user, choosing the recipients of a notification).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "accounts", "applications", "reviews", "disbursements", "evaluation")
ALLOWED = re.compile(r"(^|/)(roles|rules|workflow|selectors|models|demo)\.py$|/(models|migrations|management)/")

PY_RULES = [
    (re.compile(r"\.role\s*(==|!=|\bin\b|\bnot\s+in\b)"), "compares a user's role"),
    (re.compile(r"\brole\s*(==|!=|\bin\b|\bnot\s+in\b)\s*[(\[{A-Z\"']"), "compares a role"),
    (re.compile(r"getattr\([^)]*[\"']role[\"']"), "reads the role to decide"),
    (re.compile(r"(?<!role=)\bRole\.[A-Z_]+"), "names a role (ask a permission instead)"),
    (re.compile(r"\b[A-Z]+(?:_[A-Z]+)*_ROLES\b"), "uses a role set (ask a permission instead)"),
]
HTML_RULES = [
    (re.compile(r"\.role\b(?!_)"), "reads user.role in a template (use perms.app.codename or has_perm)"),
    (re.compile(r"\bis_(county|enterprise|city|expert|auditor|official|admin)\b"), "uses a role flag"),
]


def offences(text, checks):
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if checks is PY_RULES else line
        for pattern, why in checks:
            if pattern.search(code):
                found.append(f"{number}: {why}: {line.strip()[:120]}")
    return found


def sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not ALLOWED.search(rel):
                yield rel, path, PY_RULES
    for path in sorted((ROOT / "templates").rglob("*.html")):
        yield path.relative_to(ROOT).as_posix(), path, HTML_RULES


def test_no_role_comparison_outside_rules():
    found = [f"{rel}:{o}" for rel, path, checks in sources() for o in offences(path.read_text(), checks)]
    assert not found, "role decisions outside rules.py/roles.py:\n" + "\n".join(found)


def test_the_scan_covers_the_places_that_decide():
    scanned = {rel for rel, _p, _c in sources()}
    for expected in ("core/navigation.py", "applications/views/lists.py", "reviews/services/support.py",
                     "disbursements/dashboard.py", "applications/forms.py", "reviews/apps.py",
                     "templates/applications/detail.html"):
        assert expected in scanned
    assert "accounts/rules.py" not in scanned and "applications/workflow.py" not in scanned


@pytest.mark.parametrize(("line", "checks", "caught"), [
    ('    if user.role == Role.COUNTY:', PY_RULES, True),
    ('    if request.user.role != "enterprise":', PY_RULES, True),
    ('    if user.role in CITYWIDE_ROLES:', PY_RULES, True),
    ('    if getattr(actor, "role", None) != Role.CITY:', PY_RULES, True),
    ('    role = user.role\n    if role == Role.CITY:', PY_RULES, True),
    ('    navigation.register(_("X"), "x:y", {Role.CITY})', PY_RULES, True),
    ('    User.objects.filter(role=Role.CITY, is_active=True)', PY_RULES, False),
    ('    if user.has_perm("reviews.manage_reviews"):', PY_RULES, False),
    ('{% if user.role == "enterprise" %}', HTML_RULES, True),
    ('{% if request.user.role == "enterprise" %}', HTML_RULES, True),
    ('{% if is_county %}', HTML_RULES, True),
    ('{{ user.get_role_display }}', HTML_RULES, False),
    ('{% if perms.applications.intake %}', HTML_RULES, False),
])
def test_the_patterns_catch_role_checks(line, checks, caught):
    assert bool(offences(line, checks)) is caught


NAMED = [
    re.compile(r"(?:has_perm|require_perm|require)\([^\"')]*[\"']([a-z_]+\.[a-z_]+)[\"']"),
    re.compile(r"\bperms\.([a-z_]+\.[a-z_]+)"),
    re.compile(r"register\([^\n]*?,\s*[\"']([a-z_]+\.[a-z_]+)[\"'],\s*order="),
    re.compile(r"^[A-Z_]+ = [\"']([a-z_]+\.[a-z_]+)[\"']$", re.M),
]


def test_every_permission_asked_for_is_defined():
    """A misspelt name would silently answer no (a template's ``perms.app.codename`` never fails)."""
    import rules

    asked = {}
    for rel, path, _checks in sources():
        for pattern in NAMED:
            for name in pattern.findall(path.read_text()):
                asked.setdefault(name, rel)
    assert len(asked) > 40
    unknown = {name: rel for name, rel in asked.items() if not rules.perm_exists(name)}
    assert not unknown, f"permissions asked for but not defined in any rules.py: {unknown}"


@pytest.mark.parametrize(("text", "name"), [
    ('if user.has_perm("reviews.manage_reviews"):', "reviews.manage_reviews"),
    ('require(actor, "disbursements.prepare_payments", message=_("x"))', "disbursements.prepare_payments"),
    ('@require_perm("evaluation.view_evaluation")', "evaluation.view_evaluation"),
    ('{% if perms.applications.intake %}', "applications.intake"),
    ('register(_("Budget"), "disbursements:budget", "disbursements.view_budget", order=52)',
     "disbursements.view_budget"),
    ('EDIT = "evaluation.edit_evaluation"', "evaluation.edit_evaluation"),
])
def test_the_names_asked_for_are_found(text, name):
    assert name in {found for pattern in NAMED for found in pattern.findall(text)}
