from django.urls import path

from .views import calls, credit, detail, enterprise, lists, matching

app_name = "applications"

urlpatterns = [
    path("", lists.application_list_view, name="list"),
    path("batch/", lists.batch, name="batch"),
    path("export.xlsx", lists.export, name="export"),
    path("summary.xlsx", lists.export, {"summary": True}, name="summary"),
    path("apply/", enterprise.apply, name="apply"),
    path("apply/<int:category_id>/start/", enterprise.start, name="start"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/edit/", enterprise.edit, name="edit"),
    path("<int:pk>/submit/", enterprise.submit, name="submit"),
    path("<int:pk>/action/", detail.action, name="action"),
    path("<int:pk>/files/<int:attachment_id>/", detail.download, name="download"),
    path("<int:pk>/re-review/", detail.request_re_review, name="re_review"),
    path("<int:pk>/re-review/files/<int:evidence_id>/", detail.evidence_download, name="evidence_download"),
    path("<int:pk>/pdf/", detail.pdf, name="pdf"),
    path("<int:pk>/compare/", detail.compare, name="compare"),
    path("<int:pk>/credit/clearance/", credit.clearance_propose, name="credit_clearance"),
    path("<int:pk>/credit/confirm/", credit.clearance_confirm, name="credit_confirm"),
    path("calls/", calls.call_list, name="calls"),
    path("calls/new/", calls.call_edit, name="call_new"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("calls/<int:pk>/matches/", matching.matches, name="call_matches"),
    path("invitations/", matching.to_contact, name="invitations_to_contact"),
    path("calls/<int:pk>/publish/", calls.call_publish, name="call_publish"),
    path("calls/<int:round_pk>/categories/new/", calls.category_edit, name="category_new"),
    path("calls/<int:round_pk>/categories/<int:pk>/", calls.category_edit, name="category_edit"),
]
