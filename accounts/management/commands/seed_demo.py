from importlib import import_module
from pathlib import Path

from celery import current_app as celery_app
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule


def demo_modules():
    """Each of the project's apps' ``demo`` module, in INSTALLED_APPS order, which is the order of the cycle: the
    command lives in the lowest app and names no later one (third-party apps are left alone)."""
    return [import_module(f"{config.name}.demo") for config in apps.get_app_configs()
            if Path(config.path).parent == settings.BASE_DIR and module_has_submodule(config.module, "demo")]


class Command(BaseCommand):
    help = ("Create the demo data (idempotent): organisations, counties, one user per role, the 2021 and 2022 cycles, "
            "an open call.")

    def handle(self, *args, **options):
        # The demo's notifications are real rows in the outbox, but their e-mails are not printed or sent.
        # The seed runs its tasks in-process (no worker is running yet), so those e-mails stay unsent as well.
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
                for module in demo_modules():
                    module.seed(stdout=self.stdout)
                # today's calendar reminders (the worker's beat sends them every morning from now on)
                call_command("send_reminders", stdout=self.stdout)
        finally:
            celery_app.conf.task_always_eager = eager
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
