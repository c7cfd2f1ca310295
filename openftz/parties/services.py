"""State changes of the enterprise directory: register a party, add (rotate) and revoke keys."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openftz.core.citations import cites
from openftz.core.errors import InvalidInput, NotFound
from openftz.core.parameters import parameter

from . import rules
from .models import Party, PartyKey

CITES = cites("SH-43", "SH-24")


@transaction.atomic
def party_create(*, party_id: str, name_zh: str, name_en: str = "", uscc: str | None = None, lei: str | None = None,
                 foreign_scheme: str | None = None, foreign_id: str | None = None, contact_email: str = "",
                 contact_phone: str = "", pint_endpoint: str = "") -> Party:
    """Register an enterprise with at least one validated identifier (SH-43)."""
    rules.clean_party_id(party_id)
    if not name_zh.strip():
        raise InvalidInput("中文名称不能为空", "the Chinese name is required", details={"field": "name_zh"})
    ids = rules.clean_identifiers(uscc=uscc, lei=lei, foreign_scheme=foreign_scheme, foreign_id=foreign_id)
    if Party.objects.filter(pk=party_id).exists():
        raise InvalidInput(f"当事人 {party_id} 已存在", f"party {party_id} already exists", code="conflict", status=409)
    party = Party(id=party_id, name_zh=name_zh.strip(), name_en=name_en.strip(), uscc=ids.uscc, lei=ids.lei,
                  foreign_scheme=ids.foreign_scheme, foreign_id=ids.foreign_id, contact_email=contact_email.strip(),
                  contact_phone=contact_phone.strip(), pint_endpoint=pint_endpoint.strip())
    if party.pint_endpoint and ids.foreign_scheme != rules.PLATFORM_SCHEME:
        raise InvalidInput("只有电子提单平台登记 PINT 地址", f"only an eBL platform (scheme {rules.PLATFORM_SCHEME}) has a PINT endpoint",
                           details={"field": "pint_endpoint"})
    try:
        party.full_clean(validate_unique=False, validate_constraints=False)
    except Exception as exc:  # django ValidationError: the message names the field
        raise InvalidInput("当事人资料无效", f"invalid party data: {exc}", details={"party": party_id}) from None
    try:
        with transaction.atomic():
            party.save(force_insert=True)
    except IntegrityError:
        raise InvalidInput("该标识已登记给另一当事人", "this identifier is already registered to another party",
                           code="conflict", status=409) from None
    return party


@transaction.atomic
def party_key_add(*, party_id: str, algorithm: str, public_key: str, rotate: bool = True,
                  at: dt.datetime | None = None) -> PartyKey:
    """Register a public key; with ``rotate`` the party's keys in force end when this one starts (SH-24)."""
    at = at or timezone.now()
    try:
        party = Party.objects.get(pk=party_id)
    except Party.DoesNotExist:
        raise NotFound(f"没有当事人 {party_id}", f"no party {party_id}") from None
    key = rules.clean_public_key(algorithm=algorithm, public_key=public_key)
    if PartyKey.objects.filter(pk=key.kid).exists():
        raise InvalidInput(f"密钥 {key.kid} 已登记", f"key {key.kid} is already registered", code="conflict", status=409)
    if rotate:
        party.keys.filter(revoked_at__isnull=True, valid_until__gt=at).update(valid_until=at)
    days = parameter("parties", "key_validity_days").at(at.date())
    return PartyKey.objects.create(kid=key.kid, party=party, algorithm=key.algorithm, public_key=key.public_key,
                                   valid_from=at, valid_until=at + dt.timedelta(days=days))


@transaction.atomic
def party_key_revoke(*, kid: str, reason: str, at: dt.datetime | None = None) -> PartyKey:
    """Revoke a key from ``at`` on: no instruction signed with it is accepted afterwards (SH-24)."""
    at = at or timezone.now()
    if not reason.strip():
        raise InvalidInput("须说明撤销理由", "a reason for the revocation is required", details={"field": "reason"})
    try:
        key = PartyKey.objects.select_for_update().get(pk=kid)
    except PartyKey.DoesNotExist:
        raise NotFound(f"没有密钥 {kid}", f"no key {kid}") from None
    if key.revoked_at is not None:
        raise InvalidInput(f"密钥 {kid} 已撤销", f"key {kid} is already revoked", code="conflict", status=409)
    key.revoked_at = at
    key.revocation_reason = reason.strip()[:200]
    key.save(update_fields=["revoked_at", "revocation_reason"])
    return key
