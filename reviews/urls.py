from django.urls import path, re_path

from .views import audits, chair, downloads, expert, experts, panels, publicity, results, support

app_name = "reviews"

urlpatterns = [
    path("", panels.home, name="home"),
    # experts
    path("my/", expert.my_assignments, name="my_assignments"),
    path("my/scores.xlsx", downloads.my_scores, name="my_scores_xlsx"),
    path("assignments/<int:pk>/declare/", expert.declaration, name="declare"),
    path("assignments/<int:pk>/score/", expert.score, name="score"),
    path("assignments/<int:pk>/files/<int:attachment_pk>/", expert.assignment_file, name="assignment_file"),
    path("scores/<int:pk>/reopen/", expert.reopen, name="score_reopen"),
    path("chair/scores/", chair.chair_scores, name="chair_scores"),
    path("panels/<int:pk>/summary/", expert.panel_summary, name="panel_summary"),
    # the expert pool
    path("experts/", experts.expert_list, name="experts"),
    path("experts/new/", experts.expert_new, name="expert_new"),
    path("experts/<int:pk>/", experts.expert_edit, name="expert_edit"),
    path("experts/<int:expert_pk>/scores.xlsx", downloads.expert_scores, name="expert_scores_xlsx"),
    # a call's review stage, panels, rubrics, assignments
    path("rounds/<int:round_pk>/", panels.round_overview, name="round"),
    path("rounds/<int:round_pk>/settings/", panels.config_edit, name="config"),
    path("categories/<int:category_pk>/panel/", panels.panel_new, name="panel_new"),
    path("categories/<int:category_pk>/rubric/", panels.rubric, name="rubric"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/members/", panels.panel_members, name="panel_members"),
    re_path(r"^panels/(?P<pk>[0-9]+)/(?P<action>auto_assign|assign|open|close)/$", panels.panel_action,
            name="panel_action"),
    path("panels/<int:pk>/scores.xlsx", downloads.panel_scores, name="panel_scores_xlsx"),
    path("assignments/<int:pk>/remove/", panels.assignment_remove, name="assignment_remove"),
    # results and awards
    path("rounds/<int:round_pk>/results/", results.results, name="results"),
    path("rounds/<int:round_pk>/ranking.xlsx", downloads.ranking, name="ranking_xlsx"),
    path("applications/<int:app_pk>/award/", results.award, name="award"),
    path("applications/<int:app_pk>/not-selected/", results.not_selected, name="not_selected"),
    # third-party audit
    path("rounds/<int:round_pk>/audits/", audits.audit_assign_view, name="audit_assign"),
    path("audits/", audits.audit_list, name="audit_list"),
    path("audits/<int:pk>/", audits.audit_detail, name="audit_detail"),
    path("audits/<int:pk>/report.pdf", audits.audit_report, name="audit_report"),
    # publicity and objections
    path("publicity/", publicity.publicity_list, name="publicity_list"),
    path("publicity/<int:pk>/", publicity.publicity_detail, name="publicity_detail"),
    re_path(r"^publicity/(?P<pk>[0-9]+)/(?P<action>publish|close)/$", publicity.publicity_action,
            name="publicity_action"),
    path("publicity/<int:pk>/list.xlsx", downloads.publicity_list, name="publicity_xlsx"),
    path("publicity/<int:pk>/notice.pdf", downloads.publicity_notice, name="publicity_pdf"),
    path("objections/<int:pk>/handle/", publicity.objection_handle_view, name="objection_handle"),
    # support list
    path("support/", support.support_lists, name="support_lists"),
    path("support/<int:pk>/", support.support_list_detail, name="support_list_detail"),
    re_path(r"^support/(?P<pk>[0-9]+)/(?P<action>submit|refresh|approve|return|remove)/$", support.support_list_action,
            name="support_list_action"),
    path("support/<int:pk>/list.xlsx", downloads.support_list, name="support_list_xlsx"),
]
