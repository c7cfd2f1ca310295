"""Demo data of the records registry (演示数据): demo parties with signing keys, a DCSA eBL issued by a carrier to a
shipper and endorsed to the order of a bank and then of an importer, and an electronic warehouse receipt — every
action an instruction signed by the party entitled to give it and submitted through ``record_instruct``, so the
ledger holds the whole signed history.

The bill of lading is DCSA's eBL 3.0.4 regular example (``data/records/demo/``, Apache-2.0) with the demo parties in
place of DCSA's. The demo keys are generated here; the registry keeps only their public halves (the parties app),
the private halves are handed back to the caller, who may write them out (``--keys-out``) to sign more instructions.
Nothing is written when the registry already holds records.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from openftz.core import crypto
from openftz.core.errors import OpenFTZError
from openftz.parties.models import Party
from openftz.parties.services import party_create, party_key_add

from .models import Record
from .services import record_instruct

DOCUMENT = Path(__file__).resolve().parents[2] / "data" / "records" / "demo" / "transport-document-regularSTDExample.json"
SCHEME = "OPENFTZ-DEMO"  # the demo parties' identifier scheme: no real register knows them
PARTIES = (  # party id, name zh, name en, signing algorithm
    ("demo-carrier", "远洋承运人（演示）", "Ocean Carrier (demo)", "SM2"),
    ("demo-shipper", "出口发货人（演示）", "Exporting Shipper (demo)", "SM2"),
    ("demo-bank", "开证银行（演示）", "Issuing Bank (demo)", "Ed25519"),
    ("demo-importer", "进口商（演示）", "Importer (demo)", "P-256"),
    ("demo-warehouse", "洋山保税仓库（演示）", "Yangshan Bonded Warehouse (demo)", "SM2"),
)
EBL_ID = "DEMOEBL0001"
EWR_ID = "DEMO-WR-0001"


@dataclass
class DemoParty:
    party_id: str
    name: str
    algorithm: str
    key_id: str
    private_pem: str


@dataclass
class DemoResult:
    parties: list[DemoParty]
    records: list[str]


class DemoRefused(OpenFTZError):
    code = "demo_refused"


def records_is_empty() -> bool:
    return not Record.objects.exists()


def _code(party_id: str) -> dict:
    return {"codeListProvider": SCHEME, "codeListName": SCHEME, "partyCode": party_id.upper()}


def ebl_document() -> dict:
    """DCSA's regular example as the demo carrier's eBL to the order of the demo shipper."""
    doc = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    doc["transportDocumentReference"] = EBL_ID
    doc["isElectronic"], doc["isToOrder"] = True, True
    parties = doc["documentParties"]
    parties["shipper"] = copy.deepcopy(parties["shipper"]) | {"partyName": "Exporting Shipper (demo) 出口发货人（演示）",
                                                             "identifyingCodes": [_code("demo-shipper")]}
    parties["issuingParty"] = copy.deepcopy(parties["issuingParty"]) | {"partyName": "Ocean Carrier (demo) 远洋承运人（演示）",
                                                                       "identifyingCodes": [_code("demo-carrier")]}
    return doc


class _Signer:
    """Signs each instruction as its actor and submits it; the record's next sequence number is counted here."""

    def __init__(self, parties: dict[str, DemoParty]):
        self.parties = parties
        self.seq: dict[str, int] = {}

    def do(self, actor: str, record: str, op: str, params: dict | None = None, *, place: str = "CNSHA") -> Record:
        p = self.parties[actor]
        instruction = {"record": record, "op": op, "seq": self.seq.get(record, 0) + 1, "actor": actor, "key_id": p.key_id,
                       "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "place": place, "params": params or {}}
        signature = crypto.b64(crypto.sign(p.algorithm, p.private_pem, crypto.canonical_json(instruction)))
        result = record_instruct(instruction=instruction, signature=signature)
        self.seq[record] = result.seq
        return result


@transaction.atomic
def demo_load() -> DemoResult:
    """Demo parties and keys, the endorsed eBL and the warehouse receipt; refused if the registry holds records."""
    if not records_is_empty():
        raise DemoRefused("登记簿中已有记录,不载入演示数据", "the records registry already holds records: demo data is only loaded into an empty registry")
    parties = {}
    for party_id, zh, en, algorithm in PARTIES:
        if not Party.objects.filter(pk=party_id).exists():
            party_create(party_id=party_id, name_zh=zh, name_en=en, foreign_scheme=SCHEME, foreign_id=party_id.upper())
        pem = crypto.generate_private_key(algorithm)
        key = party_key_add(party_id=party_id, algorithm=algorithm, public_key=crypto.public_key_pem(algorithm, pem))
        parties[party_id] = DemoParty(party_id, zh, algorithm, key.kid, pem)
    s = _Signer(parties)
    s.do("demo-carrier", EBL_ID, "issue", {"kind": "ebl", "form": "to_order", "holder": "demo-shipper", "document": ebl_document()})
    s.do("demo-shipper", EBL_ID, "endorse_to_order", {"to": "demo-bank"})
    s.do("demo-bank", EBL_ID, "endorse_to_order", {"to": "demo-importer"}, place="HKHKG")
    receipt = {"receiptNumber": EWR_ID, "warehouse": "洋山保税仓库（演示） Yangshan Bonded Warehouse (demo)",
               "depositor": "demo-importer", "goodsDescription": "演示数据 电解铜 copper cathodes (demo)",
               "quantity": 25.5, "unit": "TNE", "location": "CNYSA"}
    s.do("demo-warehouse", EWR_ID, "issue", {"kind": "ewr", "form": "to_order", "holder": "demo-importer", "document": receipt},
         place="CNYSA")
    s.do("demo-importer", EWR_ID, "endorse_to_order", {"to": "demo-bank"}, place="CNYSA")
    return DemoResult(list(parties.values()), [EBL_ID, EWR_ID])
