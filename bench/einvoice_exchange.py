"""E-invoice conversion, registration and exchange benchmark, each figure beside a baseline measured in the same run.

- renderings per second (JSON, HTML, PDF) of the EN 16931 distribution's test documents, beside the bare
  ``validate_bytes`` of the same documents — the parse and validation every rendering starts with;
- registrations per second (``invoice_register``: fingerprint, validation, one ledger append with an SM2-signed tree
  head, the row), beside the bare ledger append of the same events;
- messages delivered per second through the single window (``message_send``: envelope built and opened, Peppol
  validation, MLR and Invoice Response built and checked, the message, two ledger events), beside the bare Peppol
  validation of the same invoices;
- Invoice Responses per second (``message_respond``: status order, the response built and checked, a ledger event),
  beside building the same response XML bare.

It runs on a throw-away SQLite database in a temporary directory (the registry key too), never on var/.
Run: `.venv/bin/python bench/einvoice_exchange.py [N]` (default 200 of each).
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["OPENFTZ_VAR_DIR"] = tempfile.mkdtemp(prefix="openftz-bench-")
from openftz.core import secret_key  # noqa: E402 - imports no settings

os.environ.setdefault("OPENFTZ_SECRET_KEY", secret_key.generate())  # var/ is new: no key file there
os.environ.pop("DATABASE_URL", None)
os.environ.pop("OPENFTZ_REGISTRY_KEY", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "openftz.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from openftz.einvoice import registration  # noqa: E402
from openftz.einvoice.convert import invoice_view, to_html, to_json, to_pdf  # noqa: E402
from openftz.einvoice.models import Member  # noqa: E402
from openftz.einvoice.parse import parse  # noqa: E402
from openftz.einvoice.responses import Endpoint, Header, Reference, invoice_response  # noqa: E402
from openftz.einvoice.semantic import invoice_tree  # noqa: E402
from openftz.einvoice.services import invoice_register, message_respond, message_send  # noqa: E402
from openftz.einvoice.validate import validate_bytes  # noqa: E402
from openftz.ledger.services import ledger_append  # noqa: E402
from openftz.parties.services import party_create  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
DATA = ROOT / "tests" / "data" / "einvoice"
DOCUMENTS = [p.read_bytes() for p in sorted((DATA / "en16931-testfiles").iterdir())]
# OpenPeppol's positive example: valid under the Peppol rule set the inbox applies, so every delivery is accepted
INVOICE = (DATA / "en16931-examples" / "BIS3_Invoice_positive.XML").read_bytes()


def timed(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def line(label: str, n: int, seconds: float, base_label: str, base_n: int, base_seconds: float) -> None:
    ours, base = n / seconds, base_n / base_seconds
    print(f"{label:<38} {ours:8.0f}/s   baseline: {base_label} {base:8.0f}/s ({base / ours:.1f}x)")


def variants(n: int) -> list[bytes]:
    """Distinct invoices: the same real document with its number changed, so each has its own bytes."""
    return [INVOICE.replace(b"<cbc:ID>12345</cbc:ID>", f"<cbc:ID>BENCH-{i:06d}</cbc:ID>".encode(), 1) for i in range(n)]


def main() -> None:
    call_command("migrate", verbosity=0)
    docs = (DOCUMENTS * (N // len(DOCUMENTS) + 1))[:N]
    print(f"e-invoice conversion, registration and exchange ({N} of each; SQLite in a temporary directory)")
    for d in DOCUMENTS:  # warm-up: code lists, templates and fonts loaded before anything is timed
        to_pdf(invoice_view(d)), to_html(invoice_view(d))
    base = timed(lambda d: validate_bytes(d), docs)
    for name, render in (("json", to_json), ("html", to_html), ("pdf", to_pdf)):
        seconds = timed(lambda d, render=render: render(invoice_view(d)), docs)
        line(f"convert --to {name}", N, seconds, "validate_bytes", N, base)

    fresh = variants(N)
    seconds = timed(lambda d: invoice_register(data=d), fresh)
    events = []
    for d in variants(2 * N)[N:]:
        result = validate_bytes(d)
        events.append(registration.registration_event(registration.fingerprint(d), invoice_tree(parse(d)), result))
    bare = timed(lambda e: ledger_append(kind="bench", subject=f"bench:{e['sha256']}", event=e), events)
    line("registrations (invoice_register)", N, seconds, "bare ledger append", N, bare)

    party_create(party_id="company-a", name_zh="甲公司", foreign_scheme="0184", foreign_id="DK12345678")
    party_create(party_id="company-b", name_zh="乙公司", foreign_scheme="0184", foreign_id="DK87654321")
    User = get_user_model()
    seller, buyer = User.objects.create_user("bench-seller"), User.objects.create_user("bench-buyer")
    Member.objects.create(user=seller, party_id="company-a")
    Member.objects.create(user=buyer, party_id="company-b")
    outgoing = variants(N)
    messages = []
    seconds = timed(lambda d: messages.append(message_send(actor=seller, document=d)), outgoing)
    assert all(m.message_level == "AP" for m in messages), "the benchmark's invoices must be accepted"
    bare = timed(lambda d: validate_bytes(d, rules="peppol"), outgoing)
    line("messages delivered (message_send)", N, seconds, "bare Peppol validation", N, bare)

    seconds = timed(lambda m: message_respond(actor=buyer, message_id=m.pk, code="AP"), messages)
    header = Header(document_id="IR-bench", issued_at=dt.datetime.now(dt.timezone.utc),
                    sender=Endpoint("0184", "DK87654321", "Company B"), receiver=Endpoint("0184", "DK12345678", "Company A"))
    bare = timed(lambda m: invoice_response(header, code="AP", reference=Reference(m.number, m.issue_date, "380")), messages)
    line("Invoice Responses (message_respond)", N, seconds, "bare response XML", N, bare)


if __name__ == "__main__":
    main()
