from django.core.management.base import BaseCommand

from applications import tally


class Command(BaseCommand):
    help = ("The kept counts of applications by call, county and status: fold their rows together (--compact, also "
            "every ten minutes), or count every application again (--rebuild, after writing around the triggers).")

    def add_arguments(self, parser):
        parser.add_argument("--compact", action="store_true", help="fold the rows of changes into one row a key")
        parser.add_argument("--rebuild", action="store_true", help="count every application again")

    def handle(self, *args, **options):
        if options["rebuild"]:
            tally.install()
            self.stdout.write(f"{tally.rebuild()} key(s) counted")
        if options["compact"] or not options["rebuild"]:
            self.stdout.write(f"{tally.compact()} row(s) folded")
