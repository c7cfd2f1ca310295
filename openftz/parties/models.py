"""Tables of the enterprise directory: parties and their public keys."""
from django.db import models
from django.db.models import Q


class Party(models.Model):
    """An enterprise or person known to OpenFTZ (当事人)."""

    id = models.SlugField(primary_key=True, max_length=63)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    uscc = models.CharField("unified social credit code", max_length=18, null=True, blank=True, unique=True)
    lei = models.CharField("LEI", max_length=20, null=True, blank=True, unique=True)
    foreign_scheme = models.CharField(max_length=32, null=True, blank=True)
    foreign_id = models.CharField(max_length=64, null=True, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # an eBL platform's DCSA PINT base URL (envelopes go to <endpoint>/v3/envelopes); empty for other parties
    pint_endpoint = models.URLField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["foreign_scheme", "foreign_id"], name="party_foreign_id_unique"),
            models.CheckConstraint(condition=Q(uscc__isnull=False) | Q(lei__isnull=False) | Q(foreign_id__isnull=False),
                                   name="party_has_identifier"),
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.name_zh})"


class PartyKey(models.Model):
    """A public key of a party (SM2, Ed25519 or ECDSA P-256), valid between two instants unless revoked."""

    kid = models.CharField(primary_key=True, max_length=32)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="keys")
    algorithm = models.CharField(max_length=16, choices=[("SM2", "SM2"), ("Ed25519", "Ed25519"), ("P-256", "ECDSA P-256")])
    public_key = models.TextField()
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party_id", "valid_from"]
        constraints = [models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="partykey_valid_period")]
