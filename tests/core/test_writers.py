"""Services are the only writers: no views module of any app writes through the ORM.

Every ``views.py`` and ``views/*.py`` of the project's apps is parsed; a call of an ORM write method (``save``,
``delete``, ``create``, ``get_or_create``, ``update_or_create``, ``bulk_create``, ``bulk_update``, and ``update``
on a queryset or a manager) fails the test with the place it sits. Writes belong in the app's services, which
take plain values, lock, audit and run in their own transaction.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

WRITE_METHODS = {"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update",
                 "set_password", "set_unusable_password"}
# ``update`` is a write only on a queryset or a manager (``Model.objects.update``, ``qs.filter(...).update``);
# on a name it is a dict or a context (``context.update(...)``).
QUERYSET_METHODS = {"objects", "filter", "exclude", "all", "select_for_update", "select_related",
                    "prefetch_related", "annotate", "order_by", "distinct", "using", "none"}
# Calls that are not ORM writes, by their module and source text.
NOT_ORM = {
    ("accounts/views.py", "image.save(buffer)"),  # the QR code image written into a memory buffer
}


def _receiver_is_queryset(node):
    """True when ``node`` (what ``.update`` is called on) is a manager or a queryset chain."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        if isinstance(node, ast.Attribute):
            if node.attr in QUERYSET_METHODS or node.attr.endswith("_set"):
                return True
            node = node.value
            continue
        if isinstance(node, ast.Name):
            return node.id.endswith(("_qs", "queryset"))
        return False


def orm_writes(source, filename="<views>"):
    """(line, source text) of every ORM write call in ``source``."""
    tree = ast.parse(source, filename)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name in WRITE_METHODS or (name == "update" and _receiver_is_queryset(node.func.value)):
            found.append((node.lineno, ast.get_source_segment(source, node) or name))
    return found


def views_modules():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root not in path.parents or "site-packages" in path.parts:
            continue  # Django's and third-party apps (also when the virtualenv sits inside the checkout)
        yield from (p for p in [path / "views.py", *sorted((path / "views").glob("*.py"))] if p.exists())


def test_the_scan_finds_every_views_module():
    names = {str(p.relative_to(Path(settings.BASE_DIR).resolve())) for p in views_modules()}
    assert {"core/views.py", "accounts/views.py", "applications/views/enterprise.py",
            "reviews/views/panels.py"} <= names


@pytest.mark.parametrize("source, writes", [
    ("def v(request):\n    form.save()\n", 1),
    ("def v(request):\n    Notification.objects.filter(x=1).update(read_at=now)\n", 1),
    ("def v(request):\n    notifications_for(user=u).filter(read_at=None).update(read_at=now)\n", 1),
    ("def v(request):\n    Thing.objects.get_or_create(a=1)\n    obj.delete()\n", 2),
    ("def v(request):\n    device.save(update_fields=['confirmed'])\n", 1),
    ("def v(request):\n    context.update(a=1)\n    data.update(form.cleaned_data)\n", 0),
    ("def v(request):\n    service_create(actor=request.user)\n    cache.add(k, 0)\n", 0),
])
def test_the_scanner_tells_writes_from_reads(source, writes):
    assert len(orm_writes(source)) == writes


def test_no_views_module_writes_through_the_orm():
    root = Path(settings.BASE_DIR).resolve()
    offenders = []
    for path in views_modules():
        module = str(path.relative_to(root))
        for line, text in orm_writes(path.read_text(encoding="utf-8"), module):
            if (module, text) not in NOT_ORM:
                offenders.append(f"{module}:{line}: {text}")
    assert offenders == [], "ORM writes in views (move them into the app's services):\n" + "\n".join(offenders)
