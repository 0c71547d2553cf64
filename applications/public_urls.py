"""Public pages (no login; the 2FA middleware exempts /public/)."""

from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("", public.call_list, name="calls"),
    path("calls/<int:year>/", public.call_detail, name="call"),
]
