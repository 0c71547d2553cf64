from django.urls import path

from . import followup_views, views

app_name = "aftercare"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/report/", views.report_submit, name="report"),
    path("<int:pk>/inspection/", views.inspection, name="inspection"),
    path("<int:pk>/decision/", views.decision, name="decision"),
    path("overdue-refunds/", views.overdue, name="overdue"),
    path("overdue-refunds/export/", views.overdue_export, name="overdue_export"),
    path("<int:pk>/clawback/", views.clawback_propose, name="clawback"),
    path("<int:pk>/clawback/confirm/", views.clawback_confirm, name="clawback_confirm"),
    path("<int:pk>/clawback/withdraw/", views.clawback_withdraw, name="clawback_withdraw"),
    path("<int:pk>/clawback/refunds/", views.refund, name="refund"),
    path("<int:pk>/files/<int:file_id>/", views.file_download, name="file"),
]

urlpatterns += [
    path("followup/", followup_views.followup_list, name="followup_list"),
    path("followup/export/", followup_views.followup_export, name="followup_export"),
    path("followup/<int:pk>/", followup_views.followup_detail, name="followup_detail"),
    path("followup/<int:pk>/submit/", followup_views.followup_submit, name="followup_submit"),
    path("followup/<int:pk>/verify/", followup_views.followup_verify, name="followup_verify"),
    path("followup/<int:pk>/return/", followup_views.followup_return, name="followup_return"),
]
