"""The ``openftz`` command: one typer app, each OpenFTZ app's commands under ``openftz <app>``.

Bad input ends with one readable line on stderr and exit status 2, never a traceback.
"""
from __future__ import annotations

import sys

import typer

from openftz.ledger.cli import app as ledger_app
from openftz.parties.cli import app as parties_app
from openftz.records.cli import app as records_app
from openftz.dataexport.cli import app as dataexport_app
from openftz.einvoice.cli import app as einvoice_app
from openftz.procurement.cli import app as procurement_app
from openftz.rulebook.cli import app as rulebook_app
from openftz.tracker.cli import app as tracker_app
from openftz.workspace.cli import app as workspace_app

app = typer.Typer(help="OpenFTZ — Shanghai FTZ institutional opening (上海自贸试验区制度型开放).", no_args_is_help=True,
                  pretty_exceptions_enable=False)
app.add_typer(rulebook_app, name="rulebook", help="The two plans as data: load, export, parse, search, align.")
app.add_typer(tracker_app, name="tracker", help="Implementation tracking: tasks, deadlines, reports, risks, feedback, Excel.")
app.add_typer(ledger_app, name="ledger", help="The verifiable ledger: verify, prove, heads, offline bundle check.")
app.add_typer(parties_app, name="parties", help="The enterprise directory: parties, identifiers, keys.")
app.add_typer(records_app, name="records", help="Electronic transferable records: issue, transfer, endorse, surrender, history; sign, submit, export.")

app.add_typer(dataexport_app, name="dataexport", help="Cross-border data export: which pathway a transfer needs.")
app.add_typer(einvoice_app, name="einvoice", help="E-invoices: validate UBL invoices and credit notes (EN 16931, Peppol BIS 3.0).")
app.add_typer(procurement_app, name="procurement", help="Government procurement: check OCDS data against the zone's rules (SH-71…86); procedures (OCDS), challenges, debriefings, debarments.")
app.add_typer(workspace_app, name="work", help="My work (我的工作): what waits for a user across the services.")


def main() -> None:
    sys.exit(app())


if __name__ == "__main__":
    main()
