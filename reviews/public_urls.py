"""Public publicity pages, no login. Included at /public/publicity/ (the 2FA middleware exempts /public/)."""

from django.urls import path

from .views import public

app_name = "publicity"

urlpatterns = [
    path("", public.index, name="index"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/notice.pdf", public.notice_pdf, name="notice_pdf"),
]
