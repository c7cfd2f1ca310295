"""The single window's demo: enterprises, users and invoices a newcomer can open, through the real services."""
import pytest
from django.test import Client
from typer.testing import CliRunner

from openftz.cli import app
from openftz.einvoice.models import Message

pytestmark = pytest.mark.django_db


def test_demo_fills_an_empty_single_window_once():
    result = CliRunner().invoke(app, ["einvoice", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "buyer-demo" in result.output and "seller-demo" in result.output
    by_number = {m.number: m for m in Message.objects.all()}
    assert set(by_number) == {"DEMO-2026-001", "DEMO-2026-002", "DEMO-2026-003"}
    assert (by_number["DEMO-2026-001"].message_level, by_number["DEMO-2026-001"].status) == ("AP", "AP")
    assert by_number["DEMO-2026-002"].status == "UQ"
    assert by_number["DEMO-2026-003"].message_level == "RE"  # the totals do not add up: refused with its rule ids
    again = CliRunner().invoke(app, ["einvoice", "demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output and Message.objects.count() == 3
    buyer = Client()
    assert buyer.login(username="buyer-demo", password="openftz-demo")
    inbox = buyer.get("/api/einvoice/inbox").json()
    assert len(inbox) == 3
