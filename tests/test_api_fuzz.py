"""Schemathesis: requests generated from the OpenAPI schema never get a 5xx or an undocumented answer."""
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case):
    response = case.call()
    assert response.status_code < 500, response.text
    case.validate_response(response)
