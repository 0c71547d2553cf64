"""Chinese names in the admin for the third-party apps (django-axes, django-otp's TOTP plugin), whose own
catalogues have no Chinese. INSTALLED_APPS names these configs instead of the packages' own."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login protection")


class TotpConfig(TotpAppConfig):
    verbose_name = _("Two-factor authenticators")


# django-axes' model names: naming them here puts them into our catalogue, which takes precedence.
AXES_MODEL_NAMES = (
    gettext_noop("access attempt"), gettext_noop("access attempts"),
    gettext_noop("access failure"), gettext_noop("access failures"),
    gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
)
