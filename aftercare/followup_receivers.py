"""A paid payment schedules its project's follow-up reports (subscriber of core.events, imported in ready()), in
the transaction that booked the payment."""

from core.events import subscribe

from .followup_services import followup_schedule


@subscribe("payment.mark_paid")
def schedule_followups(event):
    payment = event.obj
    followup_schedule(commitment_id=payment.commitment_id, actor=event.actor)
