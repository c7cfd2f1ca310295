"""Schemas of the parties API."""
from __future__ import annotations

import datetime as dt

from ninja import Schema


class KeyOut(Schema):
    kid: str
    party: str
    algorithm: str
    public_key: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    revoked_at: dt.datetime | None
    revocation_reason: str


class PartyOut(Schema):
    id: str
    name_zh: str
    name_en: str
    uscc: str | None
    lei: str | None
    foreign_scheme: str | None
    foreign_id: str | None
    contact_email: str
    contact_phone: str
    pint_endpoint: str = ""
    keys: list[KeyOut]


class PartyList(Schema):
    count: int
    parties: list[PartyOut]
