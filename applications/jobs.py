"""Background jobs of the applications app (core/jobs.py): the export of a long list of applications."""

import tempfile

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.jobs import JobError, attach, job_function

from .exports import export_workbook
from .forms import ListFilterForm
from .selectors import DEFAULT_SORT, application_list, application_rows, filter_menus

EXPORT_JOB = "applications/export"  # job kinds: "<app>/<name>"


def filters_of(form):
    """(filters, sort) of a bound list filter form; an invalid filter is no filter (as on the list page)."""
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        return data, data.pop("sort", DEFAULT_SORT)
    return {}, DEFAULT_SORT


@job_function(EXPORT_JOB, title=_("Export of the list of applications"))
def export_applications(job, query="", summary=False):
    """The XLSX the export button gives, for the owner's scope and the filter of the page they were on."""
    user = job.owner
    if not user.is_active or not user.has_perm("applications.export_applications"):
        raise JobError(_("You may no longer export applications."))
    categories, counties = filter_menus()
    form = ListFilterForm(QueryDict(query) or None, actor=user, categories=categories, counties=counties)
    filters, sort = filters_of(form)
    if summary:
        sort = "rank"
    total = application_rows(user, filters, sort)[1].count()
    job.rows = total
    job.report(2, "")

    def progress(done):
        job.report(2 + 93 * done // max(total, 1))

    workbook, filename = export_workbook(application_list(user, filters, sort), user=user, summary=summary,
                                         filters=filters, form=form, progress=progress)
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        job.report(97)
        attach(job, filename, handle)
