from django.conf import settings

from .navigation import items_for
from .selectors import unread_group_count


def navigation(request):
    user = getattr(request, "user", None)
    pending_second_factor = bool(
        user and user.is_authenticated and user.requires_two_factor and not user.is_verified()
    )
    return {
        "nav_items": [] if pending_second_factor else items_for(user),
        "platform_name": settings.PLATFORM_NAME,
        # items (per day) with unread notifications, as the notifications page groups them
        "unread_notifications": unread_group_count(user=user) if user and user.is_authenticated else 0,
    }
