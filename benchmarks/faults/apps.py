import os
import time
from pathlib import Path

from django.apps import AppConfig


class FaultsConfig(AppConfig):
    """Installed only by benchmarks.faults.settings (the processes the fault scenarios start).

    FAULT_SUBMIT_DELAY=<seconds> makes every submission wait inside its transaction, after the receipt
    number has been taken and before commit, so that a killed web worker or a stopped PostgreSQL hits
    submissions half-way through (what the scenarios want to prove harmless). With FAULT_MARKS=<dir> the
    waiting process leaves a file named after its pid there meanwhile, so a scenario can pick a victim
    that is inside a submission.
    """

    name = "benchmarks.faults"
    label = "zz_faults"

    def ready(self):
        delay = float(os.environ.get("FAULT_SUBMIT_DELAY") or 0)
        if delay <= 0:
            return
        from django.db.models.signals import post_save

        from applications.models import ApplicationVersion

        marks = os.environ.get("FAULT_MARKS")

        def hold_the_transaction(sender, created, **kwargs):
            if not created:
                return
            mark = Path(marks) / str(os.getpid()) if marks else None
            if mark:
                mark.touch()
            time.sleep(delay)
            if mark:
                mark.unlink(missing_ok=True)

        post_save.connect(hold_the_transaction, sender=ApplicationVersion, weak=False,
                          dispatch_uid="zz-fault-submit-delay")
