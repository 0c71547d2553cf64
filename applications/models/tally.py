from django.db import models


class StatusTally(models.Model):
    """How many applications of a call and county stand at a status (``submitted``: submitted at least once), as
    rows of changes that add up: written by the database's own triggers on the applications table, summed when read
    and folded together now and then (applications.tally)."""

    round_id = models.BigIntegerField()
    county_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=20)
    submitted = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["round_id", "status"], name="tally_round_status")]

    def __str__(self):
        return f"{self.round_id}/{self.county_id}/{self.status}: {self.n:+d}"
