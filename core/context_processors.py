from django.conf import settings

from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user),
        "platform_name": settings.PLATFORM_NAME,
        "unread_notifications": (
            user.notifications.filter(read_at__isnull=True).count() if user and user.is_authenticated else 0
        ),
    }
