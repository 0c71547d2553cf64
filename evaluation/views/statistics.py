"""The statistics page: current figures, the template download and the all-or-nothing upload."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.web import require_perm

from ..constants import Period, StatisticKey
from ..forms import StatisticsUploadForm
from ..models import StatisticFigure
from ..services import statistics as svc
from . import EDIT, VIEW, get_year


def _context(year, form, errors=(), cell_errors=False):
    figures = {(f.key, f.period): f for f in StatisticFigure.objects.filter(year=year)}
    rows = [(label, figures.get((key, Period.YEAR)), figures.get((key, Period.HALF)))
            for key, label in StatisticKey.choices]
    return {"year": year, "form": form, "rows": rows, "errors": errors, "cell_errors": cell_errors, "tab": "statistics",
            "imports": year.statistics_imports.select_related("uploaded_by")[:10]}


@require_perm(VIEW)
def statistics(request, year):
    year = get_year(request, year)
    if request.method != "POST":
        return render(request, "evaluation/statistics.html", _context(year, StatisticsUploadForm()))
    if not request.user.has_perm(EDIT):
        raise PermissionDenied
    form = StatisticsUploadForm(request.POST, request.FILES)
    errors, cell_errors = [], False
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > svc.MAX_BYTES:
            errors = [_("The file is larger than %(mb)s MB.") % {"mb": svc.MAX_BYTES // (1024 * 1024)}]
        else:
            try:
                record = svc.statistics_import(actor=request.user, year=year, filename=upload.name,
                                               data=upload.read())
            except svc.ValidationError as exc:
                errors, cell_errors = exc.messages, isinstance(exc, svc.CellErrors)
            else:
                messages.success(request, _("%(n)s rows were imported from %(name)s.")
                                 % {"n": record.rows, "name": record.filename})
                return redirect("evaluation:statistics", year.year)
    return render(request, "evaluation/statistics.html", _context(year, form, errors, cell_errors), status=400)


@require_perm(VIEW)
def statistics_template(request, year):
    year = get_year(request, year)
    response = HttpResponse(svc.template_xlsx(year), content_type=svc.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="statistics-template-{year.year}.xlsx"'
    return response
