"""Ledger API: the signed tree head, the registry key, entries, inclusion and consistency proofs."""
from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from openftz.rulebook.schemas import ErrorOut

from . import selectors
from .schemas import ConsistencyOut, EntryOut, InclusionOut, RegistryKeyOut, TreeHeadOut

router = Router()
MAX_INDEX = 2**53


class InclusionQuery(Schema):
    index: int = Field(..., ge=0, le=MAX_INDEX, description="leaf index (0-based)")
    size: int | None = Field(None, ge=1, le=MAX_INDEX, description="tree size; the latest if omitted")


class ConsistencyQuery(Schema):
    first: int = Field(..., ge=1, le=MAX_INDEX, description="the older tree size")
    second: int | None = Field(None, ge=1, le=MAX_INDEX, description="the newer tree size; the latest if omitted")


@router.get("/head", response={200: TreeHeadOut, 404: ErrorOut}, summary="The latest signed tree head")
def head(request: HttpRequest):
    return selectors.head_as_dict(selectors.tree_head())


@router.get("/key", response={200: RegistryKeyOut}, summary="The registry's public key, which signs tree heads")
def key(request: HttpRequest):
    return selectors.registry_public_key()


@router.get("/entries/{index}", response={200: EntryOut, 404: ErrorOut, 422: ErrorOut}, summary="One entry")
def entry(request: HttpRequest, index: int = Path(..., ge=0, le=MAX_INDEX)):
    return selectors.entry_as_dict(selectors.entry_get(index))


@router.get("/proofs/inclusion", response={200: InclusionOut, 404: ErrorOut, 422: ErrorOut}, summary="Inclusion proof (RFC 9162 §2.1.3)")
def inclusion(request: HttpRequest, q: Query[InclusionQuery]):
    return selectors.inclusion_proof(q.index, q.size)


@router.get("/proofs/consistency", response={200: ConsistencyOut, 404: ErrorOut, 422: ErrorOut}, summary="Consistency proof (RFC 9162 §2.1.4)")
def consistency(request: HttpRequest, q: Query[ConsistencyQuery]):
    return selectors.consistency_proof(q.first, q.second)
