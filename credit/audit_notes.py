"""How the credit-screening audit rows read (their ``data`` through core.audit_notes)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

STAGES = {
    "submission": _("at submission"),
    "county_intake": _("at county intake"),
    "city_intake": _("at city intake"),
    "new_list": _("when a new credit list arrived"),
}


def _check(values, data):
    """"提交时核查：未命中" or "导入新信用名单时核查：命中 1 份名单（失信被执行人 · 最高人民法院 · 2026-11-20）"."""
    stage = STAGES.get(data.get("stage"), "")
    hits = data.get("hits") or []
    if not hits:
        return gettext("Checked %(stage)s: on no credit list") % {"stage": stage}
    named = gettext("; ").join(f"{h.get('list', '')} · {h.get('source', '')} · {h.get('date', '')}" for h in hits)
    return gettext("Checked %(stage)s: on %(count)s list(s) (%(lists)s)") % {
        "stage": stage, "count": len(hits), "lists": named}


NOTE_FORMATS = {
    "credit.check": _check,
    "credit.list_import": _("%(list)s · %(source)s · %(date)s: %(count)s records"),
}
