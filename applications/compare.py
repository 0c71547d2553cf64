"""Turn a version snapshot into labelled rows, and compare two versions row by row."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.models import Industry, Organisation
from core.money import format_wan

from .models import Application
from .models.application import ConstructionType
from .services.drafts import DRAFT_FIELDS

MONEY_FIELDS = {"total_investment", "eligible_investment", "equipment_investment", "requested_amount"}
ENTERPRISE_FIELDS = ("name", "credit_code", "industry", "is_above_scale", "legal_representative", "contact_person",
                     "contact_phone", "address", "bank_account_name", "bank_name", "bank_account_no")


def _display(name, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in MONEY_FIELDS:
        try:
            return format_wan(Decimal(value), unit=True)
        except InvalidOperation:
            return str(value)
    if name == "construction_type":
        return str(dict(ConstructionType.choices).get(value, value))
    if name == "industry":
        return str(dict(Industry.choices).get(value, value))
    return str(value)


def _labels():
    # amounts are shown in 万元, so their labels must not say 元 (the model fields' names do)
    return {"total_investment": _("Total investment"), "eligible_investment": _("Eligible investment"),
            "equipment_investment": _("Equipment investment"), "requested_amount": _("Requested amount"),
            "enterprise.name": _("Enterprise name")}


def version_rows(data):
    """[(key, label, text)] in the order of the form, then the enterprise, then the files."""
    labels = _labels()
    rows = [("category", _("Category"), data.get("category", "")), ("county", _("County"), data.get("county", ""))]
    for name in DRAFT_FIELDS:
        label = labels.get(name) or Application._meta.get_field(name).verbose_name
        rows.append((name, str(label), _display(name, data.get(name))))
    for name in ENTERPRISE_FIELDS:
        label = labels.get(f"enterprise.{name}") or Organisation._meta.get_field(name).verbose_name
        rows.append((f"enterprise.{name}", str(label), _display(name, data.get("enterprise", {}).get(name))))
    for item in data.get("attachments", []):
        rows.append((f"file.{item['material']}", _("File: %(material)s") % {"material": item["material"]},
                     f"{item['name']} (SHA-256 {item['sha256'][:12]}…)"))
    return rows


def compare_versions(old, new):
    """[(label, old text, new text, changed)] over the union of both versions' rows."""
    left = {key: (label, text) for key, label, text in version_rows(old)}
    right = {key: (label, text) for key, label, text in version_rows(new)}
    keys = list(left) + [k for k in right if k not in left]
    rows = []
    for key in keys:
        label = (left.get(key) or right.get(key))[0]
        a = left.get(key, (label, "—"))[1]
        b = right.get(key, (label, "—"))[1]
        rows.append((label, a, b, a != b))
    return rows
