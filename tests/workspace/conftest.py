"""Fixtures of the other apps' tests, reused: the tracker's tasks and people, procurement's world, einvoice's exchange."""
from tests.einvoice.conftest import exchange  # noqa: F401
from tests.procurement.conftest import world  # noqa: F401
from tests.tracker.conftest import tasks  # noqa: F401
