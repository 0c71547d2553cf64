from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from core.web import BadParameter, int_param


class _KeyedRows:
    """A queryset whose slice reads the keys of its rows first (from the index of its order, without the joins
    of its columns), then those rows: a deep ``offset`` skips index entries, not joined rows."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, window):
        keys = list(self.queryset.values_list("pk", flat=True)[window])
        rows = self.queryset.order_by().in_bulk(keys)
        return [rows[key] for key in keys if key in rows]


class StrictPagination(LimitOffsetPagination):
    """limit/offset as in DRF, but a value that is not a number is refused (400) instead of ignored.

    A view over a large table may say ``keyed_pages = True`` (its rows are read by their keys, see
    ``_KeyedRows``) and give ``count_of(queryset)``, the total the answer reports, taken where it costs little
    (e.g. the kept counts of applications) instead of ``COUNT(*)`` over every row."""

    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.count_of = getattr(view, "count_of", None)
        if getattr(view, "keyed_pages", False):
            queryset = _KeyedRows(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset):
        queryset = getattr(queryset, "queryset", queryset)
        return self.count_of(queryset) if self.count_of is not None else super().get_count(queryset)

    def get_limit(self, request):
        self._check(request, self.limit_query_param, 1, self.max_limit)
        return super().get_limit(request)

    def get_offset(self, request):
        self._check(request, self.offset_query_param, 0, 2**31 - 1)
        return super().get_offset(request)

    @staticmethod
    def _check(request, name, low, high):
        value = request.query_params.get(name)
        try:
            int_param(value or "x" if value == "" else value, name=name, min=low, max=high)
        except BadParameter as exc:
            raise ValidationError({name: [str(exc)]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, self.max_limit), self.offset_query_param: (0, 2**31 - 1)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update({"minimum": low, "maximum": high})
        return parameters
