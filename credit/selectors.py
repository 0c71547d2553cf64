from django.db.models import Exists, OuterRef

from .models import CreditList, CreditRecord


def credit_lists():
    return CreditList.objects.select_related("imported_by")


def records_for(credit_code):
    """The records naming ``credit_code``, newest list first (what a hit shows: list, source, date, reason)."""
    if not credit_code:
        return CreditRecord.objects.none()
    return CreditRecord.objects.filter(credit_code=credit_code.upper()).select_related("credit_list") \
        .order_by("-credit_list__published_on", "-id")


def on_a_list(code_field="enterprise__credit_code"):
    """An Exists() expression for querysets: true when the row's credit code is on any imported list."""
    return Exists(CreditRecord.objects.filter(credit_code=OuterRef(code_field)))


def hits_data(credit_code):
    """The records naming ``credit_code`` as plain values (for audit data and notifications)."""
    return hits_by_code([credit_code.upper()]).get(credit_code.upper(), []) if credit_code else []


def hits_by_code(codes):
    """{credit code: [hit as in hits_data]} for ``codes`` (a list or a values_list queryset: one query)."""
    found = {}
    for r in CreditRecord.objects.filter(credit_code__in=codes).select_related("credit_list") \
            .order_by("-credit_list__published_on", "-id"):
        found.setdefault(r.credit_code, []).append(
            {"list": str(r.credit_list.get_kind_display()), "source": r.credit_list.source,
             "date": r.credit_list.published_on.isoformat(), "reason": r.reason})
    return found

