"""Render the report PDF (always in Chinese) and the XLSX beside it."""

from django.template.loader import render_to_string
from django.utils import translation

from .. import exports
from . import context as report_context

REPORT_LANGUAGE = "zh-hans"


def _noop(percent, message=""):
    return None


def report_html(context):
    return render_to_string("evaluation/report/report.html", context)


def report_files(year, progress=_noop):
    """(pdf bytes, xlsx bytes, context) for ``year``, reporting progress in per cent along the way."""
    with translation.override(REPORT_LANGUAGE):
        progress(10, "collecting data")
        context = report_context.build(year)
        progress(35, "rendering html")
        html = report_html(context)
        progress(50, "rendering pdf")
        from core.pdf import render_pdf  # WeasyPrint is heavy: load it only when a report is made

        pdf = render_pdf(html)
        progress(85, "writing xlsx")
        money = context["money"]
        budget = (money["figures"], money["note"]) if money["available"] else None
        xlsx = exports.self_evaluation_xlsx(year, context["result"], budget)
        progress(95, "saving")
    return pdf, xlsx, context
