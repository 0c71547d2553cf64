"""What the data interface returns. Amounts are decimal strings in 元 (``*_yuan``); states are given as a code
and its label in the caller's language (``Accept-Language``: zh-hans by default, en)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluation.constants import Period, StatisticKey


class ChoiceField(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


def choice(instance, field):
    return {"code": getattr(instance, field), "label": str(getattr(instance, f"get_{field}_display")())}


class AwardRuleSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    base = serializers.CharField(source="get_base_display")
    cap_yuan = serializers.DecimalField(source="cap", max_digits=14, decimal_places=2, allow_null=True)
    payment = serializers.CharField(source="get_payment_display")
    description = serializers.CharField()


class MaterialSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    required = serializers.BooleanField()
    allowed_types = serializers.ListField(child=serializers.CharField())
    max_size_mb = serializers.IntegerField(allow_null=True)


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    above_scale_only = serializers.BooleanField()
    min_eligible_investment_yuan = serializers.DecimalField(source="min_eligible_investment", max_digits=14,
                                                            decimal_places=2, allow_null=True)
    award_rule = serializers.SerializerMethodField()
    materials = MaterialSerializer(many=True)

    def get_award_rule(self, category) -> AwardRuleSerializer(allow_null=True):
        rule = getattr(category, "award_rule", None)
        return AwardRuleSerializer(rule).data if rule is not None else None


class CallSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField()
    notice_date = serializers.DateField(allow_null=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.BooleanField()
    county_deadline = serializers.DateField(allow_null=True)
    expert_review_date = serializers.DateField(allow_null=True)
    audit_date = serializers.DateField(allow_null=True)
    publicity_date = serializers.DateField(allow_null=True)
    budget_listing_date = serializers.DateField(allow_null=True)
    total_budget_yuan = serializers.DecimalField(source="total_budget", max_digits=14, decimal_places=2)
    categories = CategorySerializer(many=True)


class PublicityEntrySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    project_name = serializers.CharField()
    category_name = serializers.CharField()
    county_name = serializers.CharField()
    proposed_award_yuan = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)


class PublicitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(source="round.year")
    title = serializers.CharField()
    notice = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    working_days = serializers.IntegerField()
    entries = PublicityEntrySerializer(many=True)


class ApplicationSerializer(serializers.Serializer):
    receipt_no = serializers.CharField()
    year = serializers.IntegerField(source="round.year")
    category = serializers.CharField(source="category.name")
    enterprise_name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code", allow_null=True)
    county = serializers.CharField(source="county.name")
    project_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    total_investment_yuan = serializers.DecimalField(source="total_investment", max_digits=14, decimal_places=2,
                                                     allow_null=True)
    requested_amount_yuan = serializers.DecimalField(source="requested_amount", max_digits=14, decimal_places=2,
                                                     allow_null=True)
    first_submitted_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, application) -> ChoiceField:
        return choice(application, "status")


class SupportEntrySerializer(serializers.Serializer):
    receipt_no = serializers.CharField(source="application.receipt_no")
    enterprise_name = serializers.CharField()
    project_name = serializers.CharField()
    category_name = serializers.CharField()
    county = serializers.CharField(source="application.county.name")
    award_yuan = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)


class SupportListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(source="round.year")
    fund_year = serializers.IntegerField()
    title = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    entries = serializers.SerializerMethodField()

    def get_entries(self, support_list) -> SupportEntrySerializer(many=True):
        return SupportEntrySerializer(support_list.visible_entries, many=True).data


class PaymentSerializer(serializers.Serializer):
    reference = serializers.CharField()
    tranche = serializers.IntegerField()
    amount_yuan = serializers.DecimalField(source="amount", max_digits=14, decimal_places=2)
    status = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField(allow_null=True)
    paid_on = serializers.DateField(allow_null=True)

    def get_status(self, payment) -> ChoiceField:
        return choice(payment, "status")


class CommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    receipt_no = serializers.CharField(source="application.receipt_no", allow_null=True, default=None)
    payee = serializers.CharField(source="payee.name")
    county = serializers.CharField(source="county.name", allow_null=True, default=None)
    purpose = serializers.CharField()
    fund_year = serializers.IntegerField()
    approved_amount_yuan = serializers.DecimalField(source="approved_amount", max_digits=14, decimal_places=2)
    paid_yuan = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField()
    payments = PaymentSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    direction = serializers.CharField()
    target = serializers.CharField()
    unit = serializers.CharField()
    actual = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    actual_display = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    points = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    formula = serializers.CharField()
    evidence = EvidenceSerializer(many=True)


class IndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = ChoiceField()
    total_points = serializers.DecimalField(max_digits=6, decimal_places=2)
    total_weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    grade = serializers.CharField(allow_null=True)
    indicators = IndicatorSerializer(many=True)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "maxLength": 40}]})
class FigureField(serializers.CharField):
    """A figure as a JSON number or as text ("5,123.4", "11.8%"); checked by the statistics import's rules."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, allow_null=True, max_length=40, **kwargs)


class StatisticsRowSerializer(serializers.Serializer):
    """One row of figures, keyed like the XLSX template's columns: the year, the period (year: the full year,
    half: January–June) and any of the figures."""

    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period = serializers.ChoiceField(choices=Period.values)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def get_fields(self):
        fields = super().get_fields()
        for key in StatisticKey:
            fields[key.value] = FigureField(help_text=str(key.label))
        return fields

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        return {key: value for key, value in values.items() if value is not None}


class StatisticsPushSerializer(serializers.Serializer):
    rows = StatisticsRowSerializer(many=True, min_length=1, max_length=100)


class StatisticsResultSerializer(serializers.Serializer):
    import_id = serializers.IntegerField()
    rows = serializers.IntegerField()
    created = serializers.BooleanField()


class RegistryRowSerializer(serializers.Serializer):
    """One enterprise of the statistics bureau's registry, checked like a row of the XLSX import."""

    code = serializers.CharField(max_length=18, help_text="unified social credit code (GB 32100)")
    name = serializers.CharField(max_length=200)
    county = serializers.CharField(max_length=50, help_text="the county's name, e.g. 中原区")
    industry = serializers.CharField(max_length=4, help_text="GB/T 4754 industry code, 4 digits (e.g. 3411)")
    above_scale = serializers.BooleanField(help_text="above designated size (规上)")
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0,
                                       help_text="last year's revenue in 元")
    investment = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0,
                                          help_text="last year's investment in 元")


class RegistryPushSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="the year the figures refer to")
    rows = RegistryRowSerializer(many=True, min_length=1, max_length=20000)


class RegistryResultSerializer(serializers.Serializer):
    import_id = serializers.IntegerField()
    rows = serializers.IntegerField()
    created = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
