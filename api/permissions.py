from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class HasToken(BasePermission):
    message = _("This endpoint needs a token: send “Authorization: Bearer <token>”.")

    def has_permission(self, request, view):
        return getattr(request, "auth", None) is not None


class MayPushStatistics(HasToken):
    message = _("This token may not send statistics figures.")

    def has_permission(self, request, view):
        token = getattr(request, "auth", None)
        return token is not None and token.can_push_statistics and token.county_id is None


class MayPushRegistry(HasToken):
    message = _("This token may not send the enterprise registry.")

    def has_permission(self, request, view):
        token = getattr(request, "auth", None)
        return token is not None and token.can_push_registry and token.county_id is None
