from django.core.management.base import BaseCommand

from aftercare.followup_services import followup_schedule_all


class Command(BaseCommand):
    help = "Schedule the follow-up reports still missing for every funded project (idempotent)."

    def handle(self, *args, **options):
        created = followup_schedule_all()
        self.stdout.write(f"{created} follow-up report(s) scheduled")
