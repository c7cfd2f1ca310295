"""The data export demo: an enterprise, its approvals (one near its renewal or expiry), transfers, a notice and the
daily job's reminders, made through the services on an empty database; loaded once."""
import datetime as dt

import pytest
from django.test import Client
from typer.testing import CliRunner

from openftz.cli import app
from openftz.dataexport import selectors, validity
from openftz.dataexport.cli import _today
from openftz.dataexport.demo import ASSESSED, DEMO_PASSWORD, PARTY, USERNAME, demo_load
from openftz.dataexport.models import Approval
from openftz.core.parameters import parameter

pytestmark = pytest.mark.django_db


def test_demo_fills_an_empty_service_once():
    result = CliRunner().invoke(app, ["dataexport", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert USERNAME in result.output and DEMO_PASSWORD in result.output
    assert "/dataexport/assess/" in result.output and "/dataexport/approvals/" in result.output
    today = _today()
    approvals = {a["kind"]: a for a in (selectors.approval_out(x, today=today) for x in selectors.approvals(party=PARTY, all_parties=True))}
    assert set(approvals) == {"security_assessment", "standard_contract", "certification"}
    assert all("演示数据" in a["note"] and not a["needs_refiling"] for a in approvals.values())  # the transfers stay within them
    assert approvals["security_assessment"]["status"] == "valid" and approvals["security_assessment"]["valid_until"] > today
    first_reminder = max(parameter("dataexport", "expiry_reminder_days").at(today))
    assert approvals["standard_contract"]["valid_until"] == today + dt.timedelta(days=first_reminder)
    certificate = approvals["certification"]
    assert certificate["renewal_deadline"] is not None and certificate["valid_until"] > today
    reminders = [selectors.reminder_out(r) for r in selectors.reminders(party=PARTY, all_parties=True)]
    kinds = {(r["approval"], r["notice"] is not None, r["kind"]) for r in reminders}
    assert (approvals["standard_contract"]["id"], False, f"expires_in_{first_reminder}_days") in kinds
    if certificate["granted_on"] > parameter("dataexport", "certification_validity_years").values[0][0]:
        # once certificates can be old enough, the demo one is at its first renewal reminder
        assert (certificate["id"], False, f"renewal_due_in_{first_reminder}_days") in kinds
    notices = [selectors.notice_out(n, today=today) for n in selectors.notices(party=PARTY, all_parties=True)]
    assert len(notices) == 1 and notices[0]["status"] == "open" and "演示" in notices[0]["notified_by"]
    notice_days = max(parameter("dataexport", "important_data_application_reminder_days").at(today))
    assert notices[0]["application_deadline"] == today + dt.timedelta(days=notice_days)
    assert any(r["notice"] == notices[0]["id"] and r["kind"] == f"application_due_in_{notice_days}_days" for r in reminders)
    by_pathway = {t.pathway: t for t in Approval.objects.get(kind="standard_contract").party.data_transfers.all()}
    assert set(by_pathway) == {"standard_contract_or_certification", "security_assessment"}
    assert all(t.description.startswith("演示数据") for t in by_pathway.values())
    assert by_pathway["security_assessment"].input["transfer"]["categories"] == [ASSESSED]

    again = CliRunner().invoke(app, ["dataexport", "demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output and Approval.objects.count() == 3
    plain = CliRunner().invoke(app, ["dataexport", "demo"])
    assert plain.exit_code == 2 and len(plain.output.strip().splitlines()) == 1 and "Traceback" not in plain.output
    assert Approval.objects.count() == 3

    representative = Client()
    assert representative.login(username=USERNAME, password=DEMO_PASSWORD)
    page = representative.get("/dataexport/approvals/")
    assert page.status_code == 200 and "演示" in page.content.decode()
    assert len(representative.get(f"/api/dataexport/approvals?party={PARTY}").json()) == 3


def test_a_certificate_near_its_renewal_deadline_is_reminded_once_the_law_allows_it():
    """On a day three years after the certification measures, the demo certificate's renewal deadline is near."""
    today = dt.date(2029, 3, 15)
    demo_load(today=today)
    certificate = Approval.objects.get(kind="certification")
    first_reminder = max(parameter("dataexport", "expiry_reminder_days").at(today))
    assert validity.renewal_deadline(certificate.valid_until) == today + dt.timedelta(days=first_reminder)
    assert set(certificate.reminders.values_list("kind", flat=True)) == {f"renewal_due_in_{first_reminder}_days"}
