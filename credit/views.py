from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core import xlsx
from core.web import require_perm

from .forms import CreditListForm, RegistryForm
from .models import RegistryImport
from .registry import TEMPLATE_HEADER as REGISTRY_HEADER
from .registry import registry_import
from .selectors import credit_lists
from .services import credit_list_import

TEMPLATE_HEADER = ["统一社会信用代码", "名称", "列入原因", "列入日期"]


@require_perm("credit.view_lists")
def lists(request):
    form = None
    if request.user.has_perm("credit.import_lists"):
        form = CreditListForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                credit_list = credit_list_import(actor=request.user, kind=data["kind"], source=data["source"],
                                                 published_on=data["published_on"], filename=upload.name,
                                                 data=upload.read())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                from django.contrib import messages

                messages.success(request, _("The list was imported: %(n)s records. Open applications of the "
                                            "enterprises it names were checked again.") % {"n": credit_list.rows})
                return redirect("credit:list", pk=credit_list.pk)
    elif request.method == "POST":
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return render(request, "credit/lists.html", {"lists": credit_lists(), "form": form})


@require_perm("credit.view_lists")
def list_detail(request, pk):
    credit_list = get_object_or_404(credit_lists(), pk=pk)
    records = credit_list.records.all()
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    codes = [r.credit_code for r in page]
    registered = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=codes)}
    rows = [(r, registered.get(r.credit_code)) for r in page]
    return render(request, "credit/list_detail.html", {"credit_list": credit_list, "page": page, "rows": rows})


@require_perm("credit.import_lists")
def template(request):
    # an import template: the first row of its first sheet is the header the import reads; the title and the
    # instructions are on the second sheet
    workbook = xlsx.new_workbook()
    xlsx.write_sheet(workbook, "", "", [xlsx.Column(h, 24, "text") for h in TEMPLATE_HEADER], [], name="信用名单")
    lines = [_("One row per enterprise. 统一社会信用代码 and 名称 are required; "
               "列入原因 and 列入日期 (e.g. 2021-03-15) may stay empty."),
             _("The credit code is checked by its check character (GB 32100). A file with any invalid row is not "
               "imported at all; the problems are listed by row."),
             _("A CSV file (UTF-8 or GB18030) with the same columns is accepted too.")]
    xlsx.write_sheet(workbook, _("Credit list: import template"), "", [xlsx.Column(_("Instructions"), 110)],
                     ([line] for line in lines), name=_("Instructions"))
    return xlsx.workbook_response(workbook, "信用名单导入模板.xlsx")


@require_perm("credit.import_registry")
def registry(request):
    """The statistics bureau's enterprise registry: its deliveries, the latest first, and the file import."""
    form = RegistryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            imported = registry_import(actor=request.user, year=data["year"], source=data["source"],
                                       filename=upload.name, data=upload.read())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            from django.contrib import messages

            messages.success(request, _("The enterprise registry was imported: %(n)s enterprises. Policy matching "
                                        "now reads it.") % {"n": imported.rows})
            return redirect("credit:registry")
    imports = RegistryImport.objects.select_related("imported_by")[:20]
    return render(request, "credit/registry.html", {"imports": imports, "form": form})


@require_perm("credit.import_registry")
def registry_template(request):
    workbook = xlsx.new_workbook()
    xlsx.write_sheet(workbook, "", "", [xlsx.Column(h, 22, "text") for h in REGISTRY_HEADER], [], name="企业名录")
    lines = [_("One row per enterprise; every column is required. 所属区县 is the county's name (e.g. 中原区); "
               "行业代码 the 4-digit GB/T 4754 code (e.g. 3411); 规上企业 是 or 否; amounts in yuan."),
             _("A file with any invalid row is not imported at all; the problems are listed by row."),
             _("A CSV file (UTF-8 or GB18030) with the same columns is accepted too.")]
    xlsx.write_sheet(workbook, _("Enterprise registry: import template"), "",
                     [xlsx.Column(_("Instructions"), 110)], ([line] for line in lines), name=_("Instructions"))
    return xlsx.workbook_response(workbook, "企业名录导入模板.xlsx")
