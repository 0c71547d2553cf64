import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from core import ratelimit
from core.audit import audit_record
from core.locking import StaleEdit
from core.paging import page_of
from core.search import apply_search
from core.web import redirect_next, safe_next

from .forms import (
    BankChangeDecisionForm,
    ColleagueForm,
    EnterpriseFilterForm,
    EnterpriseRegistrationForm,
    LoginForm,
    ReasonForm,
    TokenForm,
    VersionedCompanyProfileForm,
)
from .models import BankAccountChange, Organisation, User
from .selectors import bank_changes_for, enterprises_for, pending_bank_change
from .services import enterprises as services
from .services.bank_accounts import bank_change_approve, bank_change_reject
from .services.credentials import (
    password_set,
    totp_confirmed_device,
    totp_enrol,
    totp_new_key,
    totp_rate_limited,
    totp_unsaved_device,
    totp_verify,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login_with_links.html"  # login.html plus registration and public-call links
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        return safe_next(self.request, "")


class LogoutView(auth_views.LogoutView):
    def get_redirect_url(self):
        return safe_next(self.request, "")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):
        password_set(actor=self.request.user, user=form.user, password=form.cleaned_data["new_password1"],
                     reason="change")
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if ratelimit.exceeded("password_reset", request):
            form = self.form_class(initial=ratelimit.typed(request))
            return ratelimit.refuse(request, "password_reset", self.template_name, self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        audit_record(actor=None, action="auth.password_reset_requested",
                     data={"tech_email": form.cleaned_data["email"][:100]})
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        password_set(actor=form.user, user=form.user, password=form.cleaned_data["new_password1"], reason="reset")
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _qr_svg_data_uri(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


TOTP_PENDING_KEY = "totp_pending_key"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify a TOTP code; on first use, enrol a new authenticator first (its key waits in the session)."""
    user = request.user
    if user.is_verified():
        return redirect("core:dashboard")
    enrolling = totp_confirmed_device(user) is None
    if enrolling and not request.session.get(TOTP_PENDING_KEY):
        request.session[TOTP_PENDING_KEY] = totp_new_key()
    form = TokenForm(request.POST or None)
    limited = request.method == "POST" and ratelimit.exceeded("two_factor", request, username=user.username)
    if limited:
        totp_rate_limited(actor=user)
        form = TokenForm()
    elif request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if enrolling:
                device = totp_enrol(actor=user, key=request.session.get(TOTP_PENDING_KEY), token=token)
            else:
                device = totp_verify(actor=user, token=token)
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            request.session.pop(TOTP_PENDING_KEY, None)
            otp_login(request, device)
            return redirect_next(request, "core:dashboard")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        device = totp_unsaved_device(user=user, key=request.session[TOTP_PENDING_KEY])
        context["qr"] = _qr_svg_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    if limited:
        return ratelimit.refuse(request, "two_factor", "accounts/two_factor.html", context)
    return render(request, "accounts/two_factor.html", context)


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"profile_user": request.user})



# --- enterprise registration, company profile and users; enterprise verification by the city ---
# (the services live in accounts.services.enterprises, the scoped reads in accounts.selectors)


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and ratelimit.exceeded("register", request):
        form = EnterpriseRegistrationForm(initial=ratelimit.typed(request))
        return ratelimit.refuse(request, "register", "accounts/register.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        try:
            org, user = services.enterprise_register(data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error("credit_code", exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your enterprise is registered. You can prepare applications now; the city "
                                        "bureau verifies the registration."))
            if org.division_mismatch:
                messages.info(request, _("Note: characters 3-8 of the credit code (%(code)s) differ from the division "
                                         "code of %(county)s. If the company moved, this is fine.")
                              % {"code": org.credit_code[2:8], "county": org.county})
            return redirect("accounts:company")
    return render(request, "accounts/register.html", {"form": form})


def _my_company(request):
    if not request.user.has_perm("accounts.manage_company"):
        raise PermissionDenied
    return request.user.organisation


@login_required
@require_http_methods(["GET", "POST"])
def company(request):
    org = _my_company(request)
    editing = request.GET.get("edit") == "1" or request.method == "POST"
    form = VersionedCompanyProfileForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            org, reverify = services.enterprise_update_profile(actor=request.user, org=org,
                                                               expected_version=data.pop("version"), **data)
        except StaleEdit as exc:  # a colleague or the city changed the profile: keep what was typed, save nothing
            form.add_error(None, exc)
            org.refresh_from_db()
        else:
            messages.success(request, _("The company profile was saved."))
            if pending_bank_change(org) is not None and any(
                    name in form.changed_data for name in ("bank_account_name", "bank_name", "bank_account_no")):
                messages.info(request, _("The new bank account takes effect once the county or city bureau has "
                                         "verified it; until then funds are paid into the current account."))
            if reverify:
                messages.warning(request, _("You changed the name, county or bank account: the city bureau verifies "
                                            "the enterprise again."))
            return redirect("accounts:company")
    return render(request, "accounts/company.html", {"org": org, "form": form, "editing": editing,
                                                     "pending_bank_change": pending_bank_change(org),
                                                     "last_bank_change": org.bank_changes.exclude(
                                                         status=BankAccountChange.Status.WITHDRAWN).first()})


@login_required
@require_http_methods(["GET", "POST"])
def colleagues(request):
    org = _my_company(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.colleague_add(actor=request.user, data=form.cleaned_data,
                                      base_url=request.build_absolute_uri("/").rstrip("/"))
        messages.success(request, _("%(name)s was added and gets an e-mail to set a password.") % {"name": user})
        return redirect("accounts:colleagues")
    users = User.objects.filter(organisation=org).order_by("-is_active", "username")
    return render(request, "accounts/colleagues.html", {"org": org, "users": users, "form": form})


@login_required
@require_POST
def colleague_deactivate(request, pk):
    org = _my_company(request)
    user = User.objects.filter(organisation=org, pk=pk).first()
    if user is None:
        raise Http404
    try:
        services.colleague_deactivate(actor=request.user, user=user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s can no longer log in.") % {"name": user})
    return redirect("accounts:colleagues")


def _enterprises(request):
    if not request.user.has_perm("accounts.view_enterprises"):
        raise PermissionDenied
    return enterprises_for(request.user)


@login_required
def enterprises(request):
    qs = _enterprises(request)
    form = EnterpriseFilterForm(request.GET or None)
    if not request.user.has_perm("accounts.see_every_county"):
        del form.fields["county"]
    if form.is_valid():
        data = form.cleaned_data
        qs = apply_search(qs, data.get("q"), codes=("credit_code",), names=("name",))
        if data.get("county"):
            qs = qs.filter(county=data["county"])
        if data.get("verified"):
            qs = qs.filter(is_verified=data["verified"] == "yes")
        if data.get("active"):
            qs = qs.filter(is_active=data["active"] == "yes")
    rows = qs.annotate(n_users=Count("users", distinct=True)).order_by("is_verified", "-created_at", "id")
    page, query = page_of(request, rows, count_qs=qs)
    return render(request, "accounts/enterprise_list.html", {"form": form, "page": page, "query": query})


@login_required
def enterprise(request, pk):
    org = _enterprises(request).filter(pk=pk).first()
    if org is None:
        raise Http404
    return render(request, "accounts/enterprise_detail.html", {
        "org": org, "users": org.users.order_by("username"), "reason_form": ReasonForm(),
        "can_verify": request.user.has_perm("accounts.verify_enterprises"),
        "applications": org.applications.exclude(first_submitted_at=None).select_related("round", "category")
        .order_by("-id")[:20],
    })


@login_required
@require_POST
def enterprise_action(request, pk, action):
    org = _enterprises(request).filter(pk=pk).first()
    if org is None or not isinstance(org, Organisation):
        raise Http404
    version = request.POST.get("version", "")  # the version the officer saw: verify what was checked, nothing newer
    try:
        if action == "verify":
            services.enterprise_verify(actor=request.user, org=org, expected_version=version)
            messages.success(request, _("The enterprise is verified."))
        elif action in ("deactivate", "reactivate"):
            services.enterprise_set_active(actor=request.user, org=org, active=action == "reactivate",
                                           reason=request.POST.get("reason", ""), expected_version=version)
            messages.success(request, _("The enterprise and its users were deactivated.") if action == "deactivate"
                             else _("The enterprise and its users can log in again."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("accounts:enterprise", pk)


def _bank_changes(request):
    if not request.user.has_perm("accounts.view_bank_changes"):
        raise PermissionDenied
    return bank_changes_for(request.user)


@login_required
def bank_changes(request):
    """The queue of pending bank-account changes of the enterprises the user may verify, and the latest decided."""
    changes = _bank_changes(request)
    pending = changes.filter(status=BankAccountChange.Status.PENDING).order_by("requested_at", "pk")
    decided = changes.filter(status__in=[BankAccountChange.Status.APPROVED, BankAccountChange.Status.REJECTED]) \
        .order_by("-decided_at", "-pk")[:30]
    return render(request, "accounts/bank_changes.html", {"pending": pending, "decided": decided})


def _bank_change_page(request, change, form=None, status=200):
    return render(request, "accounts/bank_change.html", {
        "change": change, "form": form or BankChangeDecisionForm(),
        "can_decide": change.status == BankAccountChange.Status.PENDING
        and request.user.has_perm("accounts.verify_bank_change", change.organisation),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bank_change(request, pk):
    change = _bank_changes(request).filter(pk=pk).first()
    if change is None:
        raise Http404
    if request.method == "GET":
        return _bank_change_page(request, change)
    form = BankChangeDecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        form.add_error(None, _("Choose whether to verify or reject the change."))
    if form.is_valid():
        try:
            if decision == "approve":
                bank_change_approve(actor=request.user, change=change, reason=form.cleaned_data["reason"])
                messages.success(request, _("The new bank account of %(name)s is verified and now in force.")
                                 % {"name": change.organisation.name})
            else:
                bank_change_reject(actor=request.user, change=change, reason=form.cleaned_data["reason"])
                messages.success(request, _("The bank-account change of %(name)s was rejected.")
                                 % {"name": change.organisation.name})
        except ValidationError as exc:
            form.add_error("reason", exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not verify this change."))
        else:
            return redirect("accounts:bank_changes")
    change.refresh_from_db()
    return _bank_change_page(request, change, form, status=400)
