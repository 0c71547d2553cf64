from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages, views

app_name = "api"

# The documentation's introduction, in the reader's language like the rest of the schema.
DESCRIPTION = _("Calls, publicity lists, applications, support lists, commitments and payments, performance "
                "indicators, and the statistics bureau's figures. Amounts are decimal strings in yuan (元). "
                "Send `Accept-Language: en` for English labels and messages (Chinese by default); add `?lang=en` "
                "to this page's schema address for this documentation in English.")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(custom_settings={"DESCRIPTION": DESCRIPTION}), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/calls/", views.CallList.as_view(), name="calls"),
    path("v1/calls/<int:year>/", views.CallDetail.as_view(), name="call"),
    path("v1/publicity/", views.PublicityList.as_view(), name="publicity"),
    path("v1/applications/", views.ApplicationList.as_view(), name="applications"),
    path("v1/applications/<str:receipt_no>/", views.ApplicationDetail.as_view(), name="application"),
    path("v1/support-lists/", views.SupportListList.as_view(), name="support_lists"),
    path("v1/commitments/", views.CommitmentList.as_view(), name="commitments"),
    path("v1/evaluation/<int:year>/indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("v1/evaluation/<int:year>/statistics/", views.StatisticsPush.as_view(), name="statistics"),
    path("v1/registry/", views.RegistryPush.as_view(), name="registry"),
    # the administrator's pages for the tokens
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/new/", pages.token_new, name="token_new"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
