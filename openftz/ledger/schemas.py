"""Schemas of the ledger API."""
from __future__ import annotations

import datetime as dt

from ninja import Schema


class TreeHeadOut(Schema):
    tree_size: int
    root_hash: str
    timestamp: int
    hash: str
    key_id: str
    algorithm: str
    signature: str


class RegistryKeyOut(Schema):
    algorithm: str
    key_id: str
    public_key: str


class EntryOut(Schema):
    index: int
    leaf: str
    leaf_hash: str
    kind: str
    subject: str
    logged_at: dt.datetime


class InclusionOut(Schema):
    index: int
    tree_size: int
    leaf_hash: str
    hash: str
    inclusion_proof: list[str]
    tree_head: TreeHeadOut


class ConsistencyOut(Schema):
    first: int
    second: int
    hash: str
    consistency_proof: list[str]
    first_tree_head: TreeHeadOut
    second_tree_head: TreeHeadOut
