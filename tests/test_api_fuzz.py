"""Schemathesis: requests generated from the OpenAPI schema never get a 5xx or an undocumented answer."""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
# DCSA PINT answers a well-formed envelope whose signatures or hash links fail with 422 and a signed BSIG/BENV, as
# its standard prescribes: there a schema-valid request may rightly be rejected.
REJECTS_SCHEMA_VALID = {("POST", "/api/records/pint/v3/envelopes")}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a WSGI request must not close the connection that holds the test's
    transaction (on PostgreSQL, request_finished would close it and every later query would fail)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case):
    response = case.call()
    assert response.status_code < 500, response.text
    excluded = [positive_data_acceptance] if (case.method.upper(), case.path) in REJECTS_SCHEMA_VALID else []
    case.validate_response(response, excluded_checks=excluded)
