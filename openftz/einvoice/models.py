"""Tables of the e-invoice app: ledger registrations (存证), the single window's enterprise users, messages and the
Peppol responses to them (单一窗口电子发票交换)."""
import uuid

from django.conf import settings
from django.db import models

from openftz.ledger.models import Entry
from openftz.parties.models import Party


class Registration(models.Model):
    """Evidence that these exact bytes existed (发票上链存证): their hashes and key facts, written to the ledger.
    The document itself is not stored."""

    sha256 = models.CharField(primary_key=True, max_length=64)
    sm3 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16)  # Invoice | CreditNote
    number = models.TextField(blank=True)  # BT-1
    issue_date = models.TextField(blank=True)  # BT-2 as written
    currency = models.TextField(blank=True)  # BT-5
    total = models.TextField(blank=True)  # BT-112
    seller = models.JSONField(default=dict, blank=True)  # identifiers of BG-4 (BT-29, BT-30, BT-31, BT-34)
    buyer = models.JSONField(default=dict, blank=True)  # identifiers of BG-7 (BT-46, BT-47, BT-48, BT-49)
    valid = models.BooleanField()
    ruleset = models.CharField(max_length=16)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="einvoice_registration")
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["registered_at", "sha256"]


class Member(models.Model):
    """An enterprise user who acts for one party of the directory in the single window (单一窗口企业用户): it sends
    that party's invoices and reads and answers that party's messages, no one else's."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="einvoice_member")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="einvoice_members")

    def __str__(self) -> str:
        return f"{self.user} → {self.party_id}"


class MessageLevel(models.TextChoices):
    ACCEPTED = "AP", "accepted (message level)"
    REJECTED = "RE", "rejected (message level)"


class Message(models.Model):
    """One business message through the single window: the Peppol envelope (SBDH) as received, the invoice it
    carries, what the validator found, and where the invoice stands (the last Invoice Response)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instance_id = models.CharField(max_length=200, unique=True)  # SBDH DocumentIdentification/InstanceIdentifier
    sender = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="einvoice_sent")
    receiver = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="einvoice_received")
    sender_participant = models.CharField(max_length=200)  # e.g. 0199:LEI
    receiver_participant = models.CharField(max_length=200)
    document_type_id = models.TextField()
    process_id = models.TextField()
    country_c1 = models.CharField(max_length=3)
    created_at = models.DateTimeField()  # SBDH CreationDateAndTime
    received_at = models.DateTimeField()
    envelope = models.BinaryField()  # the StandardBusinessDocument as received
    payload = models.BinaryField()  # the invoice or credit note inside it
    payload_sha256 = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=16)
    number = models.TextField(blank=True)
    issue_date = models.TextField(blank=True)
    type_code = models.TextField(blank=True)
    currency = models.TextField(blank=True)
    total = models.TextField(blank=True)
    valid = models.BooleanField()
    ruleset = models.CharField(max_length=16)
    findings = models.JSONField(default=list, blank=True)
    message_level = models.CharField(max_length=2, choices=MessageLevel.choices)
    status = models.CharField(max_length=2, blank=True)  # the invoice's last Invoice Response code, '' if none
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # the first message from the same sender to the same receiver with the same kind, invoice number (BT-1) and
    # issue date (BT-2): this one repeats it (重复发票), flagged on delivery
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")

    class Meta:
        ordering = ["-received_at", "id"]
        indexes = [models.Index(fields=["receiver", "received_at"]), models.Index(fields=["sender", "received_at"]),
                   models.Index(fields=["sender", "receiver", "number", "issue_date"], name="einvoice_msg_dup_key")]


class ResponseKind(models.TextChoices):
    MLR = "mlr", "Message Level Response"
    INVOICE_RESPONSE = "invoice_response", "Invoice Response"


class Response(models.Model):
    """A Peppol answer to a message, as the UBL ApplicationResponse that was issued: a Message Level Response
    (from the receiver's access point) or an Invoice Response (from the buyer)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    document_id = models.CharField(max_length=64, unique=True)  # cbc:ID of the ApplicationResponse
    code = models.CharField(max_length=2)  # UNCL4343 subset
    clarifications = models.JSONField(default=list, blank=True)  # [{"list": "OPStatusReason", "code": "REF", "text": …}]
    note = models.TextField(blank=True)
    xml = models.TextField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["issued_at", "id"]
