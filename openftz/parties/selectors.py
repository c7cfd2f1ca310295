"""Reads of the enterprise directory."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from openftz.core.errors import NotFound

from .models import Party, PartyKey
from .rules import KEY_ID, PARTY_ID, KeyFacts


def parties() -> QuerySet[Party]:
    return Party.objects.prefetch_related(Prefetch("keys", queryset=PartyKey.objects.order_by("valid_from")))


def parties_list(*, ids=None) -> QuerySet[Party]:
    """Parties by id (without their keys): all of them, or those of ``ids`` when it is given."""
    qs = Party.objects.order_by("id")
    return qs if ids is None else qs.filter(pk__in=ids)


def party_get(party_id: str) -> Party:
    try:
        if not PARTY_ID.match(party_id):
            raise Party.DoesNotExist
        return parties().get(pk=party_id)
    except Party.DoesNotExist:
        raise NotFound(f"没有当事人 {party_id}", f"no party {party_id}") from None


def party_key_get(kid: str) -> PartyKey:
    try:
        if not KEY_ID.match(kid):
            raise PartyKey.DoesNotExist
        return PartyKey.objects.get(pk=kid)
    except PartyKey.DoesNotExist:
        raise NotFound(f"没有密钥 {kid}", f"no key {kid}", details={"kid": kid}) from None


def party_key_find(kid: str) -> PartyKey | None:
    """The registered key of this id, or None."""
    return PartyKey.objects.filter(pk=kid).first() if KEY_ID.match(kid) else None


def key_facts(key: PartyKey) -> KeyFacts:
    return KeyFacts(key.kid, key.party_id, key.valid_from, key.valid_until, key.revoked_at)


def key_as_dict(key: PartyKey) -> dict:
    return {
        "kid": key.kid, "party": key.party_id, "algorithm": key.algorithm, "public_key": key.public_key,
        "valid_from": key.valid_from, "valid_until": key.valid_until, "revoked_at": key.revoked_at,
        "revocation_reason": key.revocation_reason,
    }


def party_as_dict(party: Party) -> dict:
    return {
        "id": party.id, "name_zh": party.name_zh, "name_en": party.name_en, "uscc": party.uscc, "lei": party.lei,
        "foreign_scheme": party.foreign_scheme, "foreign_id": party.foreign_id, "contact_email": party.contact_email,
        "contact_phone": party.contact_phone, "pint_endpoint": party.pint_endpoint, "keys": [key_as_dict(k) for k in party.keys.all()],
    }
