from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages, views

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
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
