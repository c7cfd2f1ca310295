"""Schemathesis on the registration and exchange routes as an enterprise user with a message in its inbox, so
that writes and reads get past the login and the party check (the project's fuzz test covers them anonymously and
as the coordinator, who acts for no party). Every answer is documented, never a 5xx; nothing half-written."""
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from .conftest import INVOICE, make_user

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).include(
    path_regex=r"^/api/einvoice/(registrations|send|inbox|outbox|messages)")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def buyer_session(db):
    """The buyer's session cookie and CSRF token, with one invoice from the seller in its inbox."""
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test import Client

    from openftz.einvoice.services import message_send
    from openftz.parties.services import party_create

    party_create(party_id="company-a", name_zh="甲公司", foreign_scheme="0184", foreign_id="DK12345678")
    party_create(party_id="company-b", name_zh="乙公司", foreign_scheme="0184", foreign_id="DK87654321")
    message = message_send(actor=make_user("fuzz-seller", "company-a"), document=INVOICE.read_bytes())
    client = Client()
    client.force_login(make_user("fuzz-buyer", "company-b"))
    secret = _get_new_csrf_string()
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": secret},
            "headers": {"X-CSRFToken": _mask_cipher_secret(secret)}, "message": str(message.pk)}


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_exchange_routes_as_an_enterprise_user(case, buyer_session):
    session = dict(buyer_session)
    message = session.pop("message")
    if case.path_parameters and "message_id" in case.path_parameters and hash(repr(case.body)) % 2:
        case.path_parameters["message_id"] = message  # half the cases address the buyer's real message
    response = case.call(**session)
    assert response.status_code < 500, response.text
    # An upload is any file by the schema and an answer any status code: whether it is a readable invoice, a valid
    # envelope or a status that may follow the last one is for the rules, answered with a documented 4xx.
    case.validate_response(response, excluded_checks=[ignored_auth, negative_data_rejection, positive_data_acceptance])
