"""Sending PINT envelopes in the background (tasks framework, database backend): one attempt per run, the next
one scheduled when the receiving platform gave no usable answer. `openftz records pint-send` does one attempt at once."""
from __future__ import annotations

from django_tasks import task


@task()
def pint_deliver(record_id: str, seq: int) -> str:
    from openftz.core.errors import InvalidInput

    from .services import STATE_MISMATCH, record_pint_deliver

    try:
        delivery = record_pint_deliver(record_id=record_id, seq=seq)
    except InvalidInput as exc:
        if exc.code == STATE_MISMATCH:  # the record was changed behind the ledger: the operator repairs it, then sends
            return "refused"
        return "done"  # sent meanwhile (e.g. by `openftz records pint-send`): nothing left to do
    if delivery.status == "pending":
        pint_deliver.using(run_after=delivery.next_attempt_at).enqueue(record_id, seq)
    return delivery.status
