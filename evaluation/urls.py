from django.urls import path

from .views import counties, indicators, judgements, monitoring, reports, statistics, surveys, years

app_name = "evaluation"

urlpatterns = [
    path("", years.index, name="index"),
    path("years/new/", years.year_create, name="year_create"),
    path("counties/", counties.county_comparison, name="county_comparison"),
    path("counties/export.xlsx", counties.county_comparison_export, name="county_comparison_export"),
    path("<int:year>/", years.year_detail, name="year_detail"),
    path("<int:year>/settings/", years.year_settings, name="year_settings"),
    path("<int:year>/status/<slug:action>/", years.year_transition, name="year_transition"),
    path("<int:year>/narrative/", years.narrative, name="narrative"),
    # indicators, judgements, evidence
    path("<int:year>/indicators/", indicators.indicator_list, name="indicator_list"),
    path("<int:year>/indicators/new/", indicators.indicator_create, name="indicator_create"),
    path("<int:year>/indicators/weights/", indicators.weights, name="weights"),
    path("<int:year>/indicators/<int:number>/", indicators.indicator_detail, name="indicator_detail"),
    path("<int:year>/indicators/<int:number>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("<int:year>/indicators/<int:number>/delete/", indicators.indicator_delete, name="indicator_delete"),
    path("<int:year>/indicators/<int:number>/reason/", indicators.deviation_reason, name="deviation_reason"),
    path("<int:year>/indicators/<int:number>/judgement/", judgements.judgement, name="judgement"),
    path("<int:year>/indicators/<int:number>/evidence/", judgements.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", judgements.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", judgements.evidence_delete, name="evidence_delete"),
    # statistics
    path("<int:year>/statistics/", statistics.statistics, name="statistics"),
    path("<int:year>/statistics/template.xlsx", statistics.statistics_template, name="statistics_template"),
    # survey
    path("<int:year>/surveys/", surveys.survey_list, name="survey_list"),
    path("<int:year>/surveys/new/", surveys.survey_create, name="survey_create"),
    path("<int:year>/surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("<int:year>/surveys/<int:pk>/<slug:action>/", surveys.survey_transition, name="survey_transition"),
    path("surveys/", surveys.my_surveys, name="my_surveys"),
    path("surveys/<int:pk>/", surveys.survey_answer, name="survey_answer"),
    # monitoring
    path("<int:year>/monitoring/", monitoring.monitoring_list, name="monitoring_list"),
    path("<int:year>/monitoring/<int:pk>/", monitoring.monitoring_detail, name="monitoring_detail"),
    path("<int:year>/monitoring/<int:pk>/export.xlsx", monitoring.monitoring_export, name="monitoring_export"),
    # report
    path("<int:year>/report/", reports.report, name="report"),
    path("<int:year>/report/generate/", reports.report_generate, name="report_generate"),
    path("<int:year>/report/<int:pk>/", reports.report_job, name="report_job"),
    path("<int:year>/report/<int:pk>/progress/", reports.report_progress, name="report_progress"),
    path("<int:year>/report/<int:pk>/<slug:kind>/", reports.report_download, name="report_download"),
]
