"""Tables of the ledger: the entries (leaves), the log's state (one row, the write lock) and signed tree heads."""
from django.db import models


class LogState(models.Model):
    """The single row every append locks (single writer): size, hash algorithm and the frontier of subtree roots."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    hash_alg = models.CharField(max_length=8, choices=[("sm3", "SM3"), ("sha256", "SHA-256")])
    size = models.BigIntegerField(default=0)
    frontier = models.JSONField(default=list)  # [[subtree size, hex hash], …], largest first

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="logstate_single_row")]


class Entry(models.Model):
    """One leaf: the RFC 8785 canonical JSON of an event, never changed once written."""

    index = models.BigIntegerField(primary_key=True)
    leaf = models.TextField()
    leaf_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=120, db_index=True)
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]
        verbose_name_plural = "entries"


class TreeHead(models.Model):
    """A signed tree head (STH): the registry's signature over {tree_size, root_hash, timestamp, hash, key_id}."""

    tree_size = models.BigIntegerField(primary_key=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.BigIntegerField()  # milliseconds since the epoch, as in RFC 9162
    hash_alg = models.CharField(max_length=8)
    key_id = models.CharField(max_length=32)
    algorithm = models.CharField(max_length=16)
    signature = models.TextField()  # base64

    class Meta:
        ordering = ["tree_size"]


class Node(models.Model):
    """The root of an aligned perfect subtree of 2**level leaves (level ≥ 1), stored when its last leaf is appended,
    so that a proof reads O(log² n) nodes instead of every leaf. Derived data: ``ledger verify`` recomputes it."""

    key = models.BigIntegerField(primary_key=True)  # level * 2**48 + index
    hash = models.CharField(max_length=64)

    LEVEL_SHIFT = 48

    @classmethod
    def key_of(cls, level: int, index: int) -> int:
        return (level << cls.LEVEL_SHIFT) + index
