"""Tables of the transferable-records registry: records, their content versions and their signed events."""
from django.db import models

from openftz.parties.models import Party


class Record(models.Model):
    """The one authoritative record of an id (唯一权威记录)."""

    id = models.CharField(primary_key=True, max_length=64)
    kind = models.CharField(max_length=3, choices=[("ebl", "e-bill of lading"), ("ewr", "e-warehouse receipt")])
    form = models.CharField(max_length=8, choices=[("straight", "straight"), ("to_order", "to order"), ("blank", "blank endorsed")])
    status = models.CharField(max_length=30)
    medium = models.CharField(max_length=10)
    issuer = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="issued_records")
    holder = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="held_records")
    consignee = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="consigned_records")
    surrendered_by = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pending_surrender = models.CharField(max_length=12, blank=True)
    restricted = models.BooleanField(default=False)
    transfers = models.PositiveIntegerField(default=0)
    seq = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    document = models.TextField()  # RFC 8785 canonical JSON of the current version's content
    document_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]


class RecordVersion(models.Model):
    """One version of a record's content; an amendment links the new version to the old by its hash."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    document = models.TextField()
    document_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record_id", "version"]
        constraints = [models.UniqueConstraint(fields=["record", "version"], name="recordversion_unique")]


class RecordEvent(models.Model):
    """One signed instruction carried out: who, what, when, where, and the ledger entry that proves it."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    op = models.CharField(max_length=30)
    actor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    key_id = models.CharField(max_length=32)
    at = models.DateTimeField()  # the time the signer states
    place = models.CharField(max_length=5)  # UN/LOCODE
    received_at = models.DateTimeField()  # the registry's clock
    instruction = models.TextField()  # RFC 8785 canonical JSON, as signed
    signature = models.TextField()  # base64
    holder_after = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    status_after = models.CharField(max_length=30)
    statement = models.TextField(blank=True)
    ledger_index = models.BigIntegerField(unique=True)

    class Meta:
        ordering = ["record_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["record", "seq"], name="recordevent_unique_seq")]


class PintEnvelope(models.Model):
    """A DCSA PINT envelope this registry accepted, kept to answer a repeated transfer with DUPE."""

    last_checksum = models.CharField(primary_key=True, max_length=64)  # of the last transfer-chain entry
    last_entry = models.TextField()  # that entry's JWS, returned in a DUPE answer
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="pint_envelopes")
    sender_platform = models.CharField(max_length=4)
    envelope = models.TextField()  # RFC 8785 canonical JSON, as received
    received_at = models.DateTimeField()


class PintDelivery(models.Model):
    """Sending a record's PINT envelope to the receiving platform (DCSA PINT 3.0 ``POST /v3/envelopes``) until it
    answers: RECE/DUPE (accepted: the record here is exported), BSIG/BENV (rejected: control returns to the sender),
    or no usable answer after the last retry (undeliverable: control returns too)."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="pint_deliveries")
    seq = models.PositiveIntegerField()  # of the transfer_to_platform event
    platform = models.CharField(max_length=4)
    sender = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=14, default="pending",
                              choices=[("pending", "pending"), ("accepted", "accepted"), ("rejected", "rejected"),
                                       ("undeliverable", "undeliverable")])
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    response_code = models.CharField(max_length=4, blank=True)
    response = models.TextField(blank=True)  # the receiving platform's signed answer (JWS)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["record", "seq"], name="pintdelivery_unique_transfer")]


class PintTransfer(models.Model):
    """An envelope transfer started by another platform whose manifest announces additional documents (DCSA PINT 3.0
    ``201 EnvelopeTransferStartedResponse``): kept until the documents have come and the sender finishes it. Nothing of
    the record is written before it is accepted."""

    reference = models.CharField(primary_key=True, max_length=40)  # the envelopeReference given to the sender
    last_checksum = models.CharField(max_length=64, db_index=True)  # of the envelope's last transfer-chain entry
    sender_platform = models.CharField(max_length=4)
    envelope = models.TextField()  # RFC 8785 canonical JSON, as received
    documents = models.JSONField()  # the manifest's additional documents: {checksum: {name, size, mediaType, visualisation}}
    state = models.CharField(max_length=10, default="active",
                             choices=[("active", "active"), ("accepted", "accepted"), ("rejected", "rejected"),
                                      ("superseded", "superseded"), ("expired", "expired")])
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="pint_transfers")  # once accepted

    ENDED = ("superseded", "rejected", "expired")  # the states of a transfer that was never accepted


class PintDocument(models.Model):
    """An additional document transferred with an envelope (a supporting document or the carrier's visualisation),
    checked against the SHA-256 checksum and size the signed manifest announced."""

    transfer = models.ForeignKey(PintTransfer, on_delete=models.PROTECT, related_name="received_documents")
    checksum = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["transfer", "checksum"], name="pintdocument_unique_per_transfer")]
