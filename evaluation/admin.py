from django.contrib import admin

from .models import EvaluationYear, Indicator, ReportJob, StatisticsImport, Survey


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "name", "level", "direction", "target_value", "unit", "weight", "source", "source_key"]


@admin.register(EvaluationYear)
class EvaluationYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "budget_basis"]
    readonly_fields = ["status", "version"]  # status changes only through the workflow
    inlines = [IndicatorInline]


@admin.register(StatisticsImport)
class StatisticsImportAdmin(admin.ModelAdmin):
    list_display = ["year", "filename", "rows", "uploaded_by", "uploaded_at"]
    readonly_fields = [f.name for f in StatisticsImport._meta.fields]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "scope", "status"]
    readonly_fields = ["status", "version"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["year", "requested_by", "status", "progress", "created_at"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]
