from django.core.management.base import BaseCommand

from applications.duplicates import refresh_all


class Command(BaseCommand):
    help = "Recompute every application's possible-duplicate flag (after loading rows by SQL; also run nightly)."

    def handle(self, *args, **options):
        changed = refresh_all()
        self.stdout.write(f"{changed} flag(s) changed")
