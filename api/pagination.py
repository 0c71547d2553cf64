from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from core.web import BadParameter, int_param


class StrictPagination(LimitOffsetPagination):
    """limit/offset as in DRF, but a value that is not a number is refused (400) instead of ignored."""

    max_limit = 500

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
