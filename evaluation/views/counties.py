"""The counties compared: a fund year and the year before, per county, with a small chart each and the XLSX."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.web import int_param, require_perm

from .. import exports
from ..counties import county_comparison as compare
from ..trends import recent_years

PERM = "evaluation.compare_counties"


def _year(request, years):
    """The ?year= of the request, else the latest of ``years`` (evaluation years, oldest first), else this year."""
    year = int_param(request.GET.get("year"), min=2001, max=2100, name=_("the year"))
    if year is not None:
        return year
    return years[-1].year if years else timezone.localdate().year


@require_perm(PERM)
def county_comparison(request):
    years = recent_years(10)
    year = _year(request, years)
    choices = sorted({*(y.year for y in years), year}, reverse=True)
    return render(request, "evaluation/counties.html",
                  {"comparison": compare(request.user, year), "year": year, "choices": choices})


@require_perm(PERM)
def county_comparison_export(request):
    year = _year(request, recent_years(1))
    response = HttpResponse(exports.county_comparison_xlsx(compare(request.user, year, charts=False)),
                            content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="counties-{year - 1}-{year}.xlsx"'
    return response
