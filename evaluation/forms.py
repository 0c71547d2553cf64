"""Forms of the evaluation app. Amounts are typed in 万元 and stored in yuan."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.locking import STALE_MESSAGE, VersionedFormMixin, version_field
from core.money import WanField

from . import computed
from .constants import NUMERIC_DIRECTIONS, Direction, Grade, Section, Source, StatisticKey
from .models import EvaluationYear, Indicator, Judgement, MonitoringSnapshot, Survey
from .scoring import band, fmt, in_band

MANUAL_FIELDS = ["manual_budget_original", "manual_budget_adjusted", "manual_budget_received", "manual_spent"]
MANUAL_LABEL = _("Used only while the disbursements module has no budget for this fund year.")


class YearCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    copy_from = forms.ModelChoiceField(
        label=_("Copy the indicators and texts of"), queryset=EvaluationYear.objects.all(), required=False,
        empty_label=_("— the 2021 catalogue of 26 indicators —"))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if EvaluationYear.objects.filter(year=year).exists():
            raise forms.ValidationError(_("The year %(year)s exists already.") % {"year": year})
        return year


def one_stale_error(form, version_names):
    """Several missing or broken hidden versions say one thing once, at the top of the form."""
    broken = [name for name in version_names if name in form.errors]
    for name in broken:
        del form.errors[name]
    if broken:
        form.add_error(None, STALE_MESSAGE)


class Versioned(VersionedFormMixin):
    """The shared lock's hidden version, with its error (a missing or broken version) shown at the top."""

    def clean(self):
        data = super().clean()
        one_stale_error(self, ["version"])
        return data


class YearSettingsForm(Versioned, forms.ModelForm):
    manual_budget_original = WanField(label=_("Original budget (10,000 yuan)"),
                                      required=False, help_text=MANUAL_LABEL)
    manual_budget_adjusted = WanField(label=_("Adjusted budget (10,000 yuan)"),
                                      required=False, help_text=MANUAL_LABEL)
    manual_budget_received = WanField(label=_("Funds received (10,000 yuan)"),
                                      required=False, help_text=MANUAL_LABEL)
    manual_spent = WanField(label=_("Actual spending (10,000 yuan)"),
                            required=False, help_text=MANUAL_LABEL)

    class Meta:
        model = EvaluationYear
        fields = ["unit_name", "fund_name", *MANUAL_FIELDS]

    def __init__(self, *args, manual_budget=True, **kwargs):
        """``manual_budget=False`` when disbursements supplies the budget: the hand-entered totals are not
        used then, so they are neither shown nor changed."""
        super().__init__(*args, **kwargs)
        for name in MANUAL_FIELDS:
            self.fields[name].disabled = not manual_budget


def source_key_choices():
    statistics = [(key, _("Statistics: %(figure)s") % {"figure": label}) for key, label in StatisticKey.choices]
    return [("", "—"), *computed.choices(), *statistics]


class IndicatorForm(Versioned, forms.ModelForm):
    source_key = forms.ChoiceField(label=_("Data source key"), required=False, choices=source_key_choices,
                                   help_text=_("For computed indicators the computation; for statistics the figure."))

    class Meta:
        model = Indicator
        fields = ["number", "name", "level", "direction", "target_value", "target_text", "unit", "weight",
                  "source", "source_key", "cumulative", "scoring_rule"]
        widgets = {"scoring_rule": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.instance.year = year
        if not self.instance.pk:
            del self.fields["version"]  # a new indicator has nobody to collide with (its number is unique)
        if self.instance.pk:
            # weights change together on the weights page, where their total is checked
            self.fields["weight"].disabled = True
            self.fields["weight"].help_text = _("Change weights on the weights page, where they must total 100.")
        else:
            self.fields["weight"].initial = Decimal("0")
            self.fields["weight"].help_text = _(
                "New indicators usually start at 0; then rebalance on the weights page.")

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = Indicator.objects.filter(year=self.year, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Indicator number %(n)s is taken in this year.") % {"n": number})
        return number

    def clean(self):
        data = super().clean()
        direction, source, key = data.get("direction"), data.get("source"), data.get("source_key")
        if direction in NUMERIC_DIRECTIONS and data.get("target_value") is None:
            self.add_error("target_value", _("≥, ≤ and = need a target value."))
        if (source == Source.JUDGED) != (direction == Direction.QUALITATIVE):
            self.add_error("source", _("Qualitative indicators are judged; judged indicators are qualitative."))
        if source == Source.COMPUTED and key not in computed.REGISTRY:
            self.add_error("source_key", _("Choose the computation that produces this indicator."))
        if source == Source.STATISTICS and key not in StatisticKey.values:
            self.add_error("source_key", _("Choose the imported figure that feeds this indicator."))
        if source == Source.JUDGED:
            data["source_key"] = ""
        return data


class WeightsForm(forms.Form):
    """One weight field per indicator; the total must be 100."""

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for ind in self.indicators:
            self.fields[f"w{ind.pk}"] = forms.DecimalField(
                label=str(ind), min_value=Decimal("0"), max_value=Decimal("100"), max_digits=5, decimal_places=2,
                initial=ind.weight,
                widget=forms.NumberInput(attrs={"step": "0.01", "class": "form-control form-control-sm"}))
            self.fields[f"v{ind.pk}"] = version_field()
            self.initial[f"v{ind.pk}"] = ind.version

    def rows(self):
        return [(ind, self[f"w{ind.pk}"], self[f"v{ind.pk}"]) for ind in self.indicators]

    def versions(self):
        return {ind.pk: self.cleaned_data[f"v{ind.pk}"] for ind in self.indicators}

    def weights(self):
        return {ind.pk: self.cleaned_data[f"w{ind.pk}"] for ind in self.indicators}

    def clean(self):
        data = super().clean()
        one_stale_error(self, [f"v{ind.pk}" for ind in self.indicators])
        values = [data.get(f"w{ind.pk}") for ind in self.indicators]
        if all(v is not None for v in values):
            total = sum(values, Decimal("0"))
            if total != Decimal("100"):
                raise forms.ValidationError(
                    _("The weights total %(total)s points; they must total exactly 100.") % {"total": fmt(total)})
        return data


class DeviationReasonForm(Versioned, forms.Form):
    reason = forms.CharField(label=_("Reason for the deviation"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=4000, required=False)


class NarrativeForm(forms.Form):
    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        sections = {s.key: s for s in sections}
        for key, label in Section.choices:
            section = sections.get(key)
            self.fields[key] = forms.CharField(label=label, required=False, max_length=20000,
                                               initial=section.body if section else "",
                                               widget=forms.Textarea(attrs={"rows": 5}))
            self.fields[f"v_{key}"] = version_field()
            self.initial[f"v_{key}"] = section.version if section else 0

    def clean(self):
        data = super().clean()
        one_stale_error(self, [f"v_{key}" for key in Section.values])
        return data

    def bodies(self):
        return {key: self.cleaned_data[key] for key in Section.values}

    def versions(self):
        return {key: self.cleaned_data[f"v_{key}"] for key in Section.values}


class JudgementForm(Versioned, forms.ModelForm):
    class Meta:
        model = Judgement
        fields = ["grade", "points", "basis"]
        widgets = {"grade": forms.RadioSelect, "basis": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.initial.setdefault("version", self.instance.version if self.instance.pk else 0)
        self.fields["grade"].choices = Grade.choices  # no blank radio
        self.fields["basis"].help_text = _("What the judgement rests on: documents checked, visits, figures.")
        bands = "; ".join(
            f"{label} {fmt(band(indicator.weight, g)[0])}–{fmt(band(indicator.weight, g)[1])}"
            for g, label in Grade.choices)
        self.fields["points"].help_text = _("Within the band of the judgement: %(bands)s") % {"bands": bands}

    def clean(self):
        data = super().clean()
        grade, points = data.get("grade"), data.get("points")
        if grade and points is not None and not in_band(self.indicator.weight, grade, points):
            lower, upper, _inclusive = band(self.indicator.weight, grade)
            self.add_error("points", _("For “%(grade)s” the points must lie between %(lower)s and %(upper)s.")
                           % {"grade": Grade(grade).label, "lower": fmt(lower), "upper": fmt(upper)})
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Attachment (PDF, JPG, PNG, DOCX or XLSX)"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in statistics template (XLSX)"))


class TransitionForm(Versioned, forms.Form):
    """A status button: carries the version of the record the user saw, and an optional note."""

    note = forms.CharField(required=False, max_length=500)


class SurveyForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Enterprises to survey"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Only for “selected enterprises”."))
    questions = forms.CharField(label=_("Questions, one per line"), widget=forms.Textarea(attrs={"rows": 7}),
                                max_length=4000)

    class Meta:
        model = Survey
        fields = ["title", "intro", "scope"]
        widgets = {"scope": forms.RadioSelect, "intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, funded_available, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
        self.funded_available = funded_available

    def clean_questions(self):
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Write at least one question."))
        if len(lines) > 20 or any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("At most 20 questions of up to 300 characters each."))
        return lines

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Survey.Scope.SELECTED and not data.get("organisations"):
            self.add_error("organisations", _("Select the enterprises to ask."))
        if scope == Survey.Scope.FUNDED and not self.funded_available:
            self.add_error("scope", _("The funded enterprises are not available yet; select enterprises instead."))
        return data


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Rating

        self.questions = list(questions)
        for q in self.questions:
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=q.text, choices=Rating.choices, coerce=int, widget=forms.RadioSelect)
        self.fields["comment"] = forms.CharField(label=_("Comments and suggestions"), required=False,
                                                 max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def ratings(self):
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class MonitoringForm(forms.ModelForm):
    class Meta:
        model = MonitoringSnapshot
        fields = ["taken_on", "second_half_plan"]
        widgets = {"taken_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "second_half_plan": forms.Textarea(attrs={"rows": 5})}


class MonitoringPlanForm(Versioned, forms.ModelForm):
    class Meta:
        model = MonitoringSnapshot
        fields = ["second_half_plan"]
        widgets = {"second_half_plan": forms.Textarea(attrs={"rows": 6})}
