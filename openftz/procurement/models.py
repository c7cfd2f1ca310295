"""Tables of the procurement workflow: procuring entities, procedures kept as OCDS releases, challenges,
debriefings, confidential items, the debarment register, exclusions and the audit trail.

Procedure records are kept 15 years from the end of the procurement (SH-81): the database refuses to delete them
before then (triggers of migration 0002), and so do the models (their ``delete`` asks ``retention.guard_delete``).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openftz.parties.models import Party


class Role(models.TextChoices):
    ENTITY_OFFICER = "entity_officer", _("Procuring entity officer")
    SUPPLIER = "supplier", _("Supplier")
    REVIEW_BODY = "review_body", _("Review body member")
    SUPERVISOR = "supervisor", _("Supervisor")


class ProcuringEntity(models.Model):
    """A procuring entity (采购人) of the zone: an organ, institution or designated entity (SH-71)."""

    id = models.SlugField(primary_key=True, max_length=63)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    street_address = models.CharField(max_length=300)
    locality = models.CharField(max_length=100, default="上海市")
    postal_code = models.CharField(max_length=12, blank=True)
    contact_name = models.CharField(max_length=100)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # 存在管理关系的单位 (SH-78): the unit that manages this one, if any.
    supervising_entity = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="managed_entities")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "procuring entities"

    def __str__(self) -> str:
        return self.name_zh


class ProcurementProfile(models.Model):
    """Who a user is in procurement: a role, the entity an officer acts for, the party a supplier is."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="procurement_profile")
    role = models.CharField(max_length=16, choices=Role.choices)
    entity = models.ForeignKey(ProcuringEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="officers")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="procurement_users")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(role="entity_officer") | Q(entity__isnull=False), name="procprofile_officer_has_entity"),
            models.CheckConstraint(condition=~Q(role="supplier") | Q(party__isnull=False), name="procprofile_supplier_has_party"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Method(models.TextChoices):
    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")


class Stage(models.TextChoices):
    TENDER = "tender", _("Tender")
    AWARD = "award", _("Award")
    CONTRACT = "contract", _("Contract")
    ENDED = "ended", _("Ended")


class KeptRecord(models.Model):
    """A record of a procedure (SH-81): refused deletion through the ORM before its retention period ends."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        from . import retention

        retention.guard_delete(actor=None, obj=self, via="orm")
        return super().delete(*args, **kwargs)


class KeptQuerySet(models.QuerySet):
    def delete(self):
        from . import retention

        for obj in self:
            retention.guard_delete(actor=None, obj=obj, via="orm")
        return super().delete()


class Procedure(KeptRecord):
    """One contracting process (采购项目), kept as its OCDS 1.1 releases and their compiled release."""

    ocid = models.CharField(max_length=64, unique=True)
    entity = models.ForeignKey(ProcuringEntity, on_delete=models.PROTECT, related_name="procedures")
    method = models.CharField(max_length=10, choices=Method.choices)
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.TENDER)
    # SH-78: a supplier may be excluded for a past material breach only if the documents state that ground.
    exclusion_grounds_stated = models.BooleanField(default=False)
    exclusion_grounds = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    compiled = models.JSONField()
    release_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(retain_until__isnull=False), name="procedure_ended_has_retention"),
            models.CheckConstraint(condition=Q(exclusion_grounds_stated=False) | ~Q(exclusion_grounds=""), name="procedure_grounds_text"),
        ]

    def __str__(self) -> str:
        return self.ocid


class Release(KeptRecord):
    """One OCDS release of a procedure: each change is a new release with its own id and date; never changed."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="releases")
    seq = models.PositiveIntegerField()
    release_id = models.CharField(max_length=100, unique=True)
    date = models.DateTimeField()
    tags = models.JSONField()
    data = models.JSONField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["procedure_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["procedure", "seq"], name="release_unique_seq")]


class ConfidentialItem(KeptRecord):
    """A passage of a supplier's tender the procuring entity holds as a trade secret (商业秘密, SH-80)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="confidential_items")
    supplier = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    note = models.CharField(max_length=300, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["procedure_id", "id"]


class ChallengeStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ACCEPTED = "accepted", _("Accepted for review")
    REJECTED_LATE = "rejected_late", _("Rejected as late")
    REJECTED_INADMISSIBLE = "rejected_inadmissible", _("Rejected as inadmissible")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Challenge(KeptRecord):
    """A supplier's written challenge (质疑) against a procedure (SH-86), reviewed by the review body (SH-85)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="challenges")
    supplier = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="procurement_challenges")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField()
    knew_on = models.DateField()
    evidence = models.TextField(blank=True)
    filed_at = models.DateTimeField()
    filed_on = models.DateField()
    deadline = models.DateField()
    late = models.BooleanField()
    status = models.CharField(max_length=24, choices=ChallengeStatus.choices, default=ChallengeStatus.FILED)
    entity_statement = models.TextField(blank=True)
    routing_reason = models.TextField(blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_text = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(default=False)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status__in=["upheld", "dismissed"]) | Q(decided_on__isnull=False), name="challenge_decision_dated"),
        ]


class ChallengeEvidence(KeptRecord):
    """A file given in evidence of a challenge, kept in the database with its SHA-256 (SH-86, SH-81)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="evidence_files")
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["challenge_id", "id"]


class Debriefing(KeptRecord):
    """An unsuccessful supplier's request for the reasons its tender was not selected, and the answer (SH-80)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="debriefings")
    supplier = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="procurement_debriefings")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    requested_on = models.DateField()
    due_on = models.DateField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(default=False)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "supplier"], name="debriefing_one_per_supplier")]


class Debarment(models.Model):
    """An entry of the debarment register: a supplier's material breach of a procurement contract (SH-78)."""

    supplier = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="procurement_debarments")
    entity = models.ForeignKey(ProcuringEntity, on_delete=models.PROTECT, related_name="debarments",
                               help_text="the procuring entity whose contract was breached")
    contract_reference = models.CharField(max_length=200)
    breach_on = models.DateField()
    decided_on = models.DateField()
    grounds = models.TextField()
    material = models.BooleanField(default=True)
    remedied = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(decided_on__gte=models.F("breach_on")), name="debarment_decided_after_breach")]


class Exclusion(KeptRecord):
    """The decision to exclude a supplier from one procedure on the ground of a registered breach (SH-78)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="exclusions")
    supplier = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    debarment = models.ForeignKey(Debarment, on_delete=models.PROTECT, related_name="exclusions")
    findings = models.JSONField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = KeptQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "supplier"], name="exclusion_once")]


class AuditEntry(KeptRecord):
    """The audit trail: every state change and every refused deletion. Append-only (the database refuses changes)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=100)
    ocid = models.CharField(max_length=64, blank=True, db_index=True)
    via = models.CharField(max_length=12)
    details = models.JSONField(default=dict)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
