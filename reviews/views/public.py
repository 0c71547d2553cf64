"""Public publicity pages (no login): the published lists, the notice PDF and the objection form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import ratelimit
from core.middleware import current_ip
from core.web import errors_onto

from .. import selectors
from ..exports import publicity_notice_pdf
from ..forms import ObjectionForm
from ..services.publicity import is_open_for_objections, objection_file
from .common import scoped


def index(request):
    return render(request, "public/publicity_index.html",
                  {"publicities": selectors.public_publicities().order_by("-starts_on", "-id")})


@require_http_methods(["GET", "POST"])
def detail(request, pk):
    publicity = scoped(selectors.public_publicities(), pk)
    entries = publicity.entries.all()
    today = timezone.localdate()
    open_ = is_open_for_objections(publicity, today)
    form = ObjectionForm(request.POST or None, entries=entries)
    if request.method == "POST":
        if not open_:
            messages.error(request, _("The objection period of this publicity has ended."))
            return redirect("publicity:detail", publicity.pk)
        if ratelimit.exceeded("objection", request):
            form = ObjectionForm(initial=ratelimit.typed(request), entries=entries)
            return ratelimit.refuse(request, "objection", "public/publicity_detail.html",
                                    _page(publicity, entries, form, open_))
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection_file(publicity=publicity, entry=data["entry"], name=data["name"], contact=data["contact"],
                               text=data["text"], ip=current_ip())
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Your objection was received. The Municipal Bureau of Industry and IT "
                                            "will check it and contact you."))
                return redirect("publicity:detail", publicity.pk)
    return render(request, "public/publicity_detail.html", _page(publicity, entries, form, open_))


def _page(publicity, entries, form, open_):
    return {"publicity": publicity, "entries": list(entries), "form": form, "open": open_,
            "total": sum(e.amount for e in entries)}


def notice_pdf(request, pk):
    publicity = scoped(selectors.public_publicities(), pk)
    return publicity_notice_pdf(publicity)
