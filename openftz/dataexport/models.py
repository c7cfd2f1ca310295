"""Transfers an enterprise records, so that each assessment counts the year's people cumulatively."""
from django.conf import settings
from django.db import models

from openftz.parties.models import Party


class RecordedTransfer(models.Model):
    """One cross-border transfer (数据出境) with the counts of this transfer alone and the decision taken."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="data_transfers")
    transferred_on = models.DateField()  # Asia/Shanghai calendar date; the count resets each 1 January
    description = models.CharField(max_length=300, blank=True)
    personal_info_people = models.PositiveIntegerField()
    sensitive_personal_info_people = models.PositiveIntegerField()
    cumulative_people = models.PositiveIntegerField()  # this year up to and including this transfer
    cumulative_sensitive = models.PositiveIntegerField()
    input = models.JSONField()  # the processor and transfer facts as assessed (with the cumulative counts)
    pathway = models.CharField(max_length=40)
    assessment = models.JSONField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_transfers")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "transferred_on", "id"]
        indexes = [models.Index(fields=["party", "transferred_on"])]
