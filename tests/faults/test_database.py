"""PostgreSQL unreachable (restarting): a request gets the 503 page with Retry-After, not a 500,
and the same process serves again once the database answers, with no restart. The connection
is pointed at a closed port on this machine: what a restarting server looks like to a client."""

import pytest

from django.db import connection
from django.test import Client

from tests.faults.conftest import free_port


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_database_down_answers_503_then_the_app_recovers(site_tree):
    client = Client(raise_request_exception=False)
    assert client.get("/vi/").status_code == 200
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(PORT=str(free_port()), OPTIONS={**saved["OPTIONS"], "connect_timeout": 2})
    try:
        for address in ("/vi/", "/en/"):
            response = client.get(address)
            assert response.status_code == 503, address
            assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]
            assert b"<h1>" in response.content and b"Something went wrong" not in response.content
        assert "restarting a part it needs" in client.get("/en/").content.decode()
        assert client.get("/healthz/").status_code == 503
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert client.get("/vi/").status_code == 200
