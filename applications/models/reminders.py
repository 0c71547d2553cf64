"""The log of calendar reminders sent (applications/reminders.py): one row per user, call, deadline, date and
number of days before it, so that each reminder goes out once however often the daily run is repeated."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock

from .call import Round


class ReminderSent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Round, verbose_name=_("annual call"), on_delete=models.CASCADE, related_name="+")
    deadline = models.CharField(max_length=32)
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "call", "deadline", "due_on", "days_before"],
                                    name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.call_id} {self.deadline} {self.due_on} -{self.days_before}"
