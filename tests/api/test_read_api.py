"""The read API on the demo data: the same results as `manage.py evaluate --format json`, a token
that is missing, unknown, replaced or revoked refused, nothing written but the log of calls."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from api import endpoints
from api.models import ApiCall, ApiClient
from api.services import client_issue, client_revoke, client_rotate

pytestmark = pytest.mark.django_db
UNITS_2022 = ["HP", "HP-HB", "HP-NQ", "HP-LC", "HP-HA", "HP-KA", "HP-DS", "HP-DK", "HP-TN"]
UNITS_2022 += ["HP-AD", "HP-AL", "HP-KT", "HP-TL", "HP-VB", "HP-CH", "HP-BLV"]


@pytest.fixture(autouse=True)
def _fresh_rates():
    cache.clear()  # the throttles count in the cache


@pytest.fixture
def token(demo):
    _client, token = client_issue(by=User.objects.get(username="quantri"), name="Bộ GD&ĐT")
    return token


def get(client, path: str, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1/{path}", **headers)


def evaluated(year: int, unit: str, *extra: str) -> dict:
    out = StringIO()
    call_command(
        "evaluate", f"--year={year}", f"--unit={unit}", "--format=json", *extra, stdout=out
    )
    return json.loads(out.getvalue())


def test_results_are_those_of_evaluate_for_every_unit_and_basis(client, token):
    for unit in UNITS_2022:
        official = get(client, f"years/2022/units/{unit}/results/", token).json()
        assert official["basis"] == "official"
        assert official["results"] == evaluated(2022, unit)
        provisional = get(client, f"years/2022/units/{unit}/results/?basis=provisional", token)
        assert provisional.json()["basis"] == "provisional"
        assert provisional.json()["official"] is False
        assert provisional.json()["results"] == evaluated(2022, unit, "--include-submitted")


def test_the_city_results_read_as_worked_out_from_the_demo(client, token):
    """13 of the city's 20 indicators approved as met in 2022 (the pinned demo figure), the city
    set being no example: official."""
    body = get(client, "years/2022/units/HP/results/", token).json()
    assert body["official"] is True
    assert (body["results"]["met_count"], body["results"]["indicator_count"]) == (13, 20)
    assert body["results"]["verdict"] == "not_recognized"
    district = get(client, "years/2022/units/HP-HB/results/", token).json()
    assert district["official"] is False  # the district set is an example
    assert district["results"]["criteria_set"]["example"] is True


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}, {"HTTP_AUTHORIZATION": "Basic eDp5"}],
)
def test_a_missing_or_unknown_token_is_refused_and_logged(client, demo, headers):
    response = client.get("/api/v1/years/2022/units/", **headers)
    assert response.status_code == 401
    assert "HP-HB" not in response.content.decode()
    call = ApiCall.objects.get()
    assert (call.client, call.status, call.path) == (None, 401, "/api/v1/years/2022/units/")


def test_a_revoked_token_is_refused(client, token):
    assert get(client, "years/2022/units/", token).status_code == 200
    api_client = ApiClient.objects.get()
    client_revoke(by=User.objects.get(username="quantri"), client=api_client, reason="Hết hạn")
    response = get(client, "years/2022/units/", token)
    assert response.status_code == 401
    assert "HP-HB" not in response.content.decode()
    assert list(ApiCall.objects.order_by("pk").values_list("client__name", "status")) == [
        ("Bộ GD&ĐT", 200),
        (None, 401),
    ]


def test_a_replaced_token_stops_working_and_the_new_one_works(client, token):
    api_client = ApiClient.objects.get()
    new = client_rotate(by=User.objects.get(username="quantri"), client=api_client)
    assert new != token
    assert get(client, "criteria-sets/", token).status_code == 401
    assert get(client, "criteria-sets/", new).status_code == 200
    assert new not in str(ApiClient.objects.values_list().get())  # only a fingerprint is kept


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def test_the_api_writes_nothing_but_its_log(client, token):
    """Every endpoint read, and every other method tried on each: the only table of data that
    changes is the log. The cache table changes too (the throttles' counts, the catalogue and
    the versions the results read): it holds nothing that is not kept elsewhere, and
    `manage.py clear_page_cache` may empty it at any time."""
    paths = [
        "criteria-sets/",
        "criteria-sets/hp-city-2022/",
        "years/2022/units/",
        "years/2022/units/HP/results/",
        "years/2022/units/HP-HB/results/?basis=provisional",
        "years/2022/recognitions/",
        "years/2022/records/",
    ]
    before = _row_counts()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for path in paths:
        assert client.get(f"/api/v1/{path}", **headers).status_code == 200, path
        for method in (client.post, client.put, client.patch, client.delete):
            assert method(f"/api/v1/{path}", **headers).status_code == 405, path
    after = _row_counts()
    changed = {table for table in before if before[table] != after[table]}
    assert changed - {settings.CACHES["default"]["LOCATION"]} == {ApiCall._meta.db_table}
    assert after[ApiCall._meta.db_table] - before[ApiCall._meta.db_table] == 5 * len(paths)


def test_the_units_of_a_year_are_paginated_and_follow_the_year(client, token):
    body = get(client, "years/2022/units/?page_size=5&page=2", token).json()
    assert body["count"] == 16
    assert [unit["code"] for unit in body["items"]] == ["HP-KA", "HP-DS", "HP-DK", "HP-TN", "HP-AD"]
    call_command("import_units", "fixtures/units/don-vi-2025-vi-du.xlsx", stdout=StringIO())
    body = get(client, "years/2026/units/?level=commune&page_size=500", token).json()
    assert body["count"] == 16
    assert body["items"][0] == {
        "code": "HP-P-HB",
        "name": "Phường Hồng Bàng",
        "kind": "ward",
        "level": "commune",
        "parent": "HP",
        "valid_from": 2025,
        "valid_to": None,
        "successors": [],
    }
    hong_bang = get(client, "years/2022/units/?level=district&page_size=1", token).json()
    assert hong_bang["items"][0]["successors"] == ["HP-P-HB"]
    assert get(client, "years/2026/units/HP-HB/results/", token).status_code == 404


def test_recognitions_and_records_say_what_was_decided_with_each_hash(client, token):
    recognitions = get(client, "years/2022/recognitions/", token).json()
    recognised = {
        item["unit"] for item in recognitions["items"] if item["decision"] == "recognized"
    }
    assert len(recognised) == 5  # the demo's committee recognises five pilots
    records = get(client, "years/2022/records/", token).json()["items"]
    assert {record["unit"] for record in records if record["current"]} == {
        item["unit"] for item in recognitions["items"]
    }
    for record in records:
        assert len(record["sha256"]) == 64


def test_a_token_has_a_rate(client, token, monkeypatch):
    throttle = next(t for t in endpoints.api.throttle if t.scope == "auth")
    monkeypatch.setattr(throttle, "num_requests", 2)
    assert get(client, "criteria-sets/", token).status_code == 200
    assert get(client, "criteria-sets/", token).status_code == 200
    assert get(client, "criteria-sets/", token).status_code == 429


def test_the_docs_page_uses_the_portals_own_static_files(client, demo):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    description = client.get("/api/v1/openapi.json").json()
    assert set(description["paths"]) == {
        "/api/v1/criteria-sets/",
        "/api/v1/criteria-sets/{code}/",
        "/api/v1/years/{year}/units/",
        "/api/v1/years/{year}/units/{code}/results/",
        "/api/v1/years/{year}/recognitions/",
        "/api/v1/years/{year}/records/",
    }
    assert all(set(operations) == {"get"} for operations in description["paths"].values())
