from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule


def demo_modules():
    """Each of the project's apps' ``demo`` module, in INSTALLED_APPS order, which is the order of the cycle: the
    command lives in the lowest app and names no later one (third-party apps are left alone)."""
    return [import_module(f"{config.name}.demo") for config in apps.get_app_configs()
            if Path(config.path).parent == settings.BASE_DIR and module_has_submodule(config.module, "demo")]


class Command(BaseCommand):
    help = "Create the demo data (idempotent): organisations, counties, one user per role, the 2021 cycle."

    def handle(self, *args, **options):
        # The demo's notifications are real rows in the outbox, but their e-mails are not printed or sent.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
            for module in demo_modules():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
