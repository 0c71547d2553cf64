from importlib import import_module

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

# Each app's demo module seeds its part of the 2021 cycle, in the order of the cycle.
DEMO_MODULES = ["accounts.demo", "applications.demo", "reviews.demo", "disbursements.demo", "evaluation.demo"]


class Command(BaseCommand):
    help = "Create the demo data (idempotent): organisations, counties, one user per role, the 2021 cycle."

    def handle(self, *args, **options):
        # The demo's notifications are real rows in the outbox, but their e-mails are not printed or sent.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name == name:
                        continue
                    raise
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
