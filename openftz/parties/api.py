"""Parties API (read-only; the directory is kept by the registry operator through the CLI and admin)."""
from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from openftz.rulebook.schemas import ErrorOut

from . import selectors
from .schemas import KeyOut, PartyList, PartyOut

router = Router()


@router.get("/", response={200: PartyList}, summary="The enterprise directory")
def list_parties(request: HttpRequest):
    rows = [selectors.party_as_dict(p) for p in selectors.parties()]
    return {"count": len(rows), "parties": rows}


@router.get("/keys/{kid}", response={200: KeyOut, 404: ErrorOut}, summary="One public key")
def get_key(request: HttpRequest, kid: str):
    return selectors.key_as_dict(selectors.party_key_get(kid))


@router.get("/{party_id}", response={200: PartyOut, 404: ErrorOut}, summary="One party with its keys")
def get_party(request: HttpRequest, party_id: str):
    return selectors.party_as_dict(selectors.party_get(party_id))
