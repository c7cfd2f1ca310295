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
    # The row's own trigger, where the list sets one: the mechanism applies from this many people (cumulative since
    # 1 January) or sensitive people; below both, the row requires nothing. None: no trigger of its own.
    trigger_people = models.PositiveIntegerField(null=True, blank=True)
    trigger_sensitive = models.PositiveIntegerField(null=True, blank=True)
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


class Representative(models.Model):
    """A user who acts for an enterprise of the directory in the data export service (its approvals and reminders)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dataexport_representative")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="dataexport_representatives")

    def __str__(self) -> str:
        return f"{self.user} → {self.party_id}"


class ApprovalKind(models.TextChoices):
    SECURITY_ASSESSMENT = "security_assessment", "数据出境安全评估 / security assessment"
    STANDARD_CONTRACT = "standard_contract", "个人信息出境标准合同备案 / standard contract filing"
    CERTIFICATION = "certification", "个人信息出境认证 / certification"


class Approval(models.Model):
    """The outcome an enterprise obtained: a security assessment result, a standard-contract filing or a certificate,
    with what it covers and how long it holds (validity.py)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="data_export_approvals")
    kind = models.CharField(max_length=24, choices=ApprovalKind.choices)
    reference = models.CharField(max_length=100)  # the result's, filing's or certificate's number
    granted_on = models.DateField()  # result issued / contract filed / certificate issued (Asia/Shanghai)
    contract_effective_on = models.DateField(null=True, blank=True)  # a standard contract's effective date
    valid_until = models.DateField(null=True, blank=True)  # last valid day; None: a contract without a term
    recipient_countries = models.JSONField(default=list)  # ISO 3166-1 alpha-2 codes covered
    categories = models.JSONField(default=list, blank=True)  # [{sector, category}] covered; empty: not declared
    includes_sensitive = models.BooleanField(default=False)  # sensitive personal information covered
    note = models.CharField(max_length=300, blank=True)
    needs_refiling = models.BooleanField(default=False)
    refiling_reasons = models.JSONField(default=list, blank=True)  # [{id, zh, en, cites, transfer, on}]
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    is_extension = models.BooleanField(default=False)  # an extension of the result it replaces (the Provisions Art. 9)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_data_export_approvals")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "granted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "kind", "reference"], name="approval_unique_reference"),
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("granted_on")),
                                   name="approval_valid_after_granted"),
        ]

    def __str__(self) -> str:
        return f"{self.party_id} {self.kind} {self.reference}"


class Reminder(models.Model):
    """A reminder the daily job (or a transfer that needs re-filing) created for an approval; each kind once."""

    approval = models.ForeignKey(Approval, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    notice = models.ForeignKey("ImportantDataNotice", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=32)  # validity.Milestone kinds | needs_refiling
    due_on = models.DateField()
    message_zh = models.TextField()
    message_en = models.TextField()
    cites = models.JSONField(default=list)
    warnings = models.JSONField(default=list, blank=True)  # e.g. working days estimated beyond the published calendar
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["approval", "kind"], name="reminder_once_per_kind"),
            models.UniqueConstraint(fields=["notice", "kind"], name="notice_reminder_once_per_kind"),
            models.CheckConstraint(condition=models.Q(approval__isnull=True, notice__isnull=False) | models.Q(approval__isnull=False, notice__isnull=True),
                                   name="reminder_of_approval_or_notice"),
        ]


class ImportantDataNotice(models.Model):
    """A notice to a party that data it exports is important data (重要数据告知, 网络数据安全管理条例 Art. 29): to keep
    exporting it, the party applies for a security assessment within the period of the CAC's Q&A (validity.py)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="important_data_notices")
    notified_on = models.DateField()  # Asia/Shanghai date of the notice
    reference = models.CharField(max_length=100, blank=True)  # the notice's number, if any
    notified_by = models.CharField(max_length=100, blank=True)  # the department or region that gave it
    categories = models.JSONField(default=list, blank=True)  # [{sector, category}] the notice names
    applied_on = models.DateField(null=True, blank=True)  # the day the security assessment was applied for, once known
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_important_data_notices")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "-notified_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(applied_on__isnull=True) | models.Q(applied_on__gte=models.F("notified_on")),
                                              name="notice_applied_after_notified")]

    def __str__(self) -> str:
        return f"{self.party_id} important data notice {self.notified_on}"
