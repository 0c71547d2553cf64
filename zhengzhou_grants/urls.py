from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("applications/", include("applications.urls")),
    path("credit/", include("credit.urls")),
    path("public/publicity/", include("reviews.public_urls")),
    path("public/", include("applications.public_urls")),
    path("reviews/", include("reviews.urls")),
    path("disbursements/", include("disbursements.urls")),
    path("aftercare/", include("aftercare.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
