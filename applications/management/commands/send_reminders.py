import datetime

from django.core.management.base import BaseCommand, CommandError

from applications.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the calendar reminders due on a date (default today); each reminder goes out once."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        sent = send_reminders(today)
        self.stdout.write(f"{sent} reminder(s) sent")
