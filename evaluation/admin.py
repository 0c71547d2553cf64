"""Read-only admin: every change goes through the services, which check the rules and write the audit log."""

from django.contrib import admin

from core.admin import ReadOnly, ReadOnlyAdmin

from .models import EvaluationYear, Indicator, ReportJob, StatisticsImport, Survey


class IndicatorInline(ReadOnly, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "name", "level", "direction", "target_value", "unit", "weight", "source", "source_key"]


@admin.register(EvaluationYear)
class EvaluationYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "status"]
    inlines = [IndicatorInline]


@admin.register(StatisticsImport)
class StatisticsImportAdmin(ReadOnlyAdmin):
    list_display = ["year", "filename", "rows", "uploaded_by", "uploaded_at"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "scope", "status"]


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["year", "requested_by", "status", "progress", "created_at"]
