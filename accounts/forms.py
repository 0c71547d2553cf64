import secrets

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.locking import VersionedFormMixin
from core.web import parse_int

from .models import PROFILE_FIELDS, County, Industry, Organisation, User
from .validators import validate_credit_code, validate_phone


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is incorrect. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6, max_length=6,
        error_messages={"min_length": _("Enter the 6-digit code."), "max_length": _("Enter the 6-digit code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if parse_int(token) is None:  # ASCII digits only: "²" or "１" is no code
            raise forms.ValidationError(_("Enter the six digits shown in your authenticator app."))
        return token


# --- enterprise registration, company profile, colleagues (built for the applications issue) ---

REQUIRED_PROFILE = set(PROFILE_FIELDS) - {"is_above_scale"}


class CompanyProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS
        labels = {"name": _("Company name (as on the business licence)")}
        help_texts = {
            "bank_account_no": _("The account awards are paid into; it must be in the company's name."),
            "county": _("The county or district where the company is registered: its bureau handles your "
                        "applications."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_PROFILE:
            self.fields[name].required = True
        self.fields["county"].queryset = County.objects.all()
        self.fields["county"].empty_label = _("Choose…")
        self.fields["industry"].choices = [("", _("Choose…")), *Industry.choices]
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_contact_phone(self):
        return validate_phone(self.cleaned_data.get("contact_phone"))


class VersionedCompanyProfileForm(VersionedFormMixin, CompanyProfileForm):
    """The profile edited by an enterprise user: refused when a colleague (or the city) changed it meanwhile."""


def free_username(wanted):
    """A username like ``wanted`` that nobody has (the wanted one plus a few random digits)."""
    stem = wanted[:140] or "user"
    for digits in (3, 4, 5, 6):
        candidate = f"{stem}{secrets.randbelow(10 ** digits):0{digits}d}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"{stem}{secrets.token_hex(4)}"


def clean_new_username(username):
    """A new username must be free. The refusal does not say whose it is or that an account exists: it offers a
    free name instead (and the anonymous registration form that asks is rate-limited)."""
    User.username_validator(username)
    if User.objects.filter(username__iexact=username).exists():
        raise forms.ValidationError(
            _("This username cannot be used. Choose another, for example %(suggestion)s."),
            code="unavailable", params={"suggestion": free_username(username)})
    return username


class EnterpriseRegistrationForm(CompanyProfileForm):
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30,
        help_text=_("18 characters, as on the business licence (统一社会信用代码)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("Letters, digits and @ . + - _ only; you log in with it."),
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Notifications about your applications go here."))
    phone = forms.CharField(label=_("Mobile phone"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(password_validation.password_validators_help_texts())

    field_order = ["credit_code", *PROFILE_FIELDS, "username", "full_name", "email", "phone", "password1",
                   "password2"]

    def clean_credit_code(self):
        code = validate_credit_code(self.cleaned_data["credit_code"])
        if Organisation.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("This unified social credit code is already registered. If you work for this company, ask one "
                  "of its users to add you under “Company users”; otherwise contact the city bureau."),
                code="duplicate")
        return code

    def clean_username(self):
        return clean_new_username(self.cleaned_data["username"])

    def clean_phone(self):
        return validate_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""),
                             first_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(one, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ColleagueForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("The new user gets a link here to set a password."))
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def clean_username(self):
        return clean_new_username(self.cleaned_data["username"])

    def clean_phone(self):
        return validate_phone(self.cleaned_data.get("phone"))


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=100)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), required=False,
                                    empty_label=_("All counties"))
    verified = forms.ChoiceField(label=_("Verification"), required=False, choices=[
        ("", _("All")), ("no", _("Waiting for verification")), ("yes", _("Verified"))])
    active = forms.ChoiceField(label=_("Account"), required=False, choices=[
        ("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class BankChangeDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the enterprise reads it)"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
