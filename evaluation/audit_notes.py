"""How the performance evaluation's audit rows read (their ``data`` through core.audit_notes)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import Grade
from .models import Survey


def _judgement(values, data):
    grades = dict(Grade.choices)
    now = _("%(grade)s, %(points)s points") % {"grade": grades.get(data.get("grade"), data.get("grade")),
                                               "points": values.get("points", "—")}
    if "previous_grade" not in data:
        return now
    before = _("%(grade)s, %(points)s points") % {
        "grade": grades.get(data["previous_grade"], data["previous_grade"]), "points": values.get("previous_points")}
    return f"{before} → {now}"


def _survey(values, data):
    scope = dict(Survey.Scope.choices).get(data.get("scope"))
    return _("Sent to: %(scope)s") % {"scope": scope} if scope else ""


def _weights(values, data):
    weights = data.get("weights") or {}
    return _(", ").join(_("indicator %(number)s: %(weight)s points") % {"number": number, "weight": weight}
                        for number, weight in sorted(weights.items(), key=lambda item: int(item[0])))


NOTE_FORMATS = {
    "evaluation.indicator_delete": "%(indicator)s",
    "evaluation.weights_update": _weights,
    "evaluation.year_create": (gettext_lazy("Copied from %(copied_from_year)s"),
                               gettext_lazy("Indicators from the catalogue")),
    "evaluation.year_settings": gettext_lazy("Changed: %(fields)s"),
    "evaluation.judgement_save": _judgement,
    "evaluation.evidence_add": "%(file)s",
    "evaluation.evidence_delete": "%(file)s",
    "evaluation.statistics_import": gettext_lazy("%(file)s, %(rows)s rows"),
    "evaluation.survey_create": _survey,
    "evaluation.monitoring_create": gettext_lazy("%(at_risk)s indicators at risk"),
}
