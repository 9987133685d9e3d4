"""A request that finds the database gone answers 503 with Retry-After (page or API), other errors stay 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def down_client(settings):
    settings.ROOT_URLCONF = "tests.core.urls_database_down"
    return Client(raise_request_exception=False)


def test_page_meeting_a_database_outage_answers_503_with_retry_after(down_client, caplog):
    response = down_client.get("/gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again in a few seconds" in response.content.decode()
    assert any("database unavailable" in r.getMessage() and r.exc_info for r in caplog.records)


def test_api_meeting_a_database_outage_answers_json_503(down_client):
    response = down_client.get("/api/v1/gone")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "unavailable" in response.json()["detail"]


def test_other_errors_still_answer_500(down_client):
    response = down_client.get("/broken/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
