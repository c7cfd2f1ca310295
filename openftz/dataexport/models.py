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


class ListKind(models.TextChoices):
    NEGATIVE_LIST = "negative_list", "自贸试验区数据出境负面清单 / FTZ negative list"
    IMPORTANT_DATA = "important_data", "重要数据目录 / important-data catalogue"


class CatalogueEntry(models.Model):
    """One row the zone administration maintains (SH-39, SH-40): sector → data category → fields, and what it requires."""

    kind = models.CharField(max_length=20, choices=ListKind.choices)
    sector = models.CharField(max_length=100)  # e.g. 智能网联汽车
    category = models.CharField(max_length=100)  # e.g. 车外视频图像数据
    fields = models.JSONField(default=list, blank=True)  # the data items the category covers
    mechanism = models.CharField(max_length=40, choices=[
        ("security_assessment", "数据出境安全评估 / security assessment"),
        ("standard_contract_or_certification", "标准合同或认证 / standard contract or certification"),
    ])
    example = models.BooleanField(default=True)  # True: an example shipped with OpenFTZ, not an official list
    source = models.CharField(max_length=300)
    effective_from = models.DateField()

    class Meta:
        ordering = ["kind", "sector", "category"]
        constraints = [models.UniqueConstraint(fields=["kind", "sector", "category"], name="catalogue_unique_row")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.sector} / {self.category}"


class SelfAssessment(models.Model):
    """A completed self-assessment (数据出境自评估) with the applicant's answers to the report items.

    The report is served at an unguessable token: it may hold the applicant's confidential answers.
    """

    token = models.CharField(max_length=32, unique=True)
    assessed_on = models.DateField()  # Asia/Shanghai date of the decision; the parameters and items in force then
    answers = models.JSONField()  # the wizard's answers to the pathway questions (and the mechanism chosen)
    item_answers = models.JSONField(default=dict, blank=True)  # topic → the applicant's text; a topic left out is unanswered
    result = models.JSONField()  # the decision as services.assess_with_lists returned it
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="data_self_assessments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
