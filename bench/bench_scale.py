"""Scale beyond the 2022 pilot (issue 17): one province's communes over ten years, and the read
API listing a country's worth of communes. Not a test.

In the (empty, migrated) database of DATABASE_URL it loads the catalogue, the example 2025 units
(the 15 districts end with 2024), a commune criteria set with two levels (10 indicators), then:

- `--communes` communes (default 120) from 2025, each with every indicator approved for each of
  `--years` years (default 10: 2025–2034) — 120 × 10 × 10 = 12,000 values;
- for the API's listing, communes up to `--listing` units in all (default 3,300), measured first
  at a tenth of that, then at the full count, to show how the cost grows.

It measures in-process (Django's test client: every middleware, no network), each figure the
median of `--repeat` requests after one warm-up, with the queries each ran:

- `GET /api/v1/years/2034/units/?page_size=100` — the first page, the last page, and every page
  in turn (the time a system takes to read the whole list);
- `GET /api/v1/years/<y>/units/<commune>/results/` — with one year of data stored, then ten;
- the commune's dashboard `/dashboard/2034/<commune>/` for the standing office (cache cleared
  before each request: the cost of computing it, not of reading it back).

    createdb -h 127.0.0.1 -U postgres bench17
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench17 SECRET_KEY=bench DEBUG=1 \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench17 SECRET_KEY=bench DEBUG=1 \\
        .venv/bin/python bench/bench_scale.py --out bench/results/scale17.json

It prints the figures as JSON (and writes them to `--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningcity.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from api.services import client_issue  # noqa: E402
from assignments.models import Department, Membership, Unit  # noqa: E402
from assignments.permissions import STANDING_OFFICE_GROUP  # noqa: E402
from criteria.models import (  # noqa: E402
    CriteriaSet,
    Criterion,
    EvaluationYear,
    Indicator,
    RecognitionLevel,
    Standard,
)
from measurements.models import Measurement  # noqa: E402

FIRST_YEAR = 2025
INDICATORS = 10


def commune_set() -> list[Indicator]:
    """An example commune set: 2 standards × 1 criterion × 5 indicators, documents and shares;
    level 1 asks the first standard, level 2 the second too; valid three years."""
    criteria_set = CriteriaSet.objects.create(
        code="bench-xa",
        name="Bộ tiêu chí xã/phường (đo tải)",
        level="commune",
        recognition_rule="levels",
        validity_years=3,
        is_example=True,
        first_year=FIRST_YEAR,
    )
    indicators = []
    for s in (1, 2):
        standard = Standard.objects.create(
            criteria_set=criteria_set, code=str(s), name=f"Tiêu chuẩn {s}", position=s
        )
        criterion = Criterion.objects.create(
            standard=standard, code=f"{s}.1", name=f"Tiêu chí {s}.1", position=1
        )
        for i in range(1, 6):
            kind, threshold = ("document", None) if i % 2 else ("share_at_least", 70)
            indicators.append(
                Indicator.objects.create(
                    criterion=criterion,
                    code=f"{s}.1.{i}",
                    text=f"Chỉ báo {s}.1.{i}",
                    kind=kind,
                    threshold=threshold,
                    position=i,
                )
            )
        level = RecognitionLevel.objects.create(criteria_set=criteria_set, number=s)
        level.indicators.set(indicators[-5:])
    return indicators


def add_communes(city: Unit, start: int, end: int) -> list[Unit]:
    return Unit.objects.bulk_create(
        Unit(
            code=f"HP-XA-{number:04d}",
            name=f"Xã thử {number:04d}",
            kind="commune",
            parent=city,
            valid_from=FIRST_YEAR,
            position=1000 + number,
        )
        for number in range(start, end)
    )


def add_values(units: list[Unit], indicators: list[Indicator], years: range) -> int:
    rows = []
    for year in years:
        for unit in units:
            for indicator in indicators:
                if indicator.kind == "document":
                    fields = {"yes": True}
                else:
                    fields = {"numerator": 80, "denominator": 100}
                rows.append(
                    Measurement(
                        indicator=indicator, unit=unit, year=year, status="approved", **fields
                    )
                )
    Measurement.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def measure(client: Client, url: str, repeat: int, *, cold: bool = False, **headers) -> dict:
    """Median milliseconds and the queries of one request, after a warm-up."""
    client.get(url, **headers)
    times, queries = [], 0
    for _ in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return {"ms": round(statistics.median(times), 1), "queries": queries}


def read_every_page(client: Client, year: int, headers: dict) -> dict:
    started, pages, units, queries = time.perf_counter(), 0, 0, 0
    page = 1
    while True:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(
                f"/api/v1/years/{year}/units/?page_size=100&page={page}", **headers
            ).json()
        queries += len(captured)
        pages, units = pages + 1, units + len(body["items"])
        if units >= body["count"] or not body["items"]:
            break
        page += 1
    seconds = time.perf_counter() - started
    return {"units": units, "pages": pages, "seconds": round(seconds, 2), "queries": queries}


def listing(client: Client, headers: dict, repeat: int) -> dict:
    count = Unit.objects.existing_in(2034).count()
    last = (count + 99) // 100
    return {
        "units_listed": count,
        "first_page": measure(client, "/api/v1/years/2034/units/?page_size=100", repeat, **headers),
        "last_page": measure(
            client, f"/api/v1/years/2034/units/?page_size=100&page={last}", repeat, **headers
        ),
        "every_page": read_every_page(client, 2034, headers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=120)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--listing", type=int, default=3300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if Unit.objects.exists():
        sys.exit("The database already holds units: give bench_scale.py an empty, migrated one.")

    quiet = StringIO()
    call_command("loaddata", "haiphong_2022", verbosity=0)
    call_command("import_units", str(ROOT / "fixtures/units/don-vi-2025-vi-du.xlsx"), stdout=quiet)
    city = Unit.objects.get(code="HP")
    years = range(FIRST_YEAR, FIRST_YEAR + args.years)
    for year in years:
        EvaluationYear.objects.get_or_create(year=year)
    indicators = commune_set()
    communes = add_communes(city, 1, args.communes + 1)
    office = Department.objects.filter(kind="division").first()
    person = User.objects.create_user("bench.thuongtruc", password="bench-scale-2026")
    Membership.objects.create(user=person, department=office)
    person.groups.add(Group.objects.get_or_create(name=STANDING_OFFICE_GROUP)[0])
    admin = User.objects.create_superuser("bench.quantri", password="bench-scale-2026")
    _client, token = client_issue(by=admin, name="Đo tải")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api, page = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
    page.force_login(person)
    sample = communes[len(communes) // 2]
    results_url = f"/api/v1/years/{FIRST_YEAR}/units/{sample.code}/results/"
    report: dict = {
        "communes": args.communes,
        "years": args.years,
        "indicators": INDICATORS,
        "database": connection.vendor,
    }

    # One year of values stored, then every year.
    add_values(communes, indicators, range(FIRST_YEAR, FIRST_YEAR + 1))
    report["results_one_year_stored"] = measure(api, results_url, args.repeat, **headers)
    report["values"] = add_values(communes, indicators, years[1:]) + len(communes) * INDICATORS
    report["results_every_year_stored"] = measure(api, results_url, args.repeat, **headers)
    last_year = years[-1]
    report["results_last_year"] = measure(
        api, f"/api/v1/years/{last_year}/units/{sample.code}/results/", args.repeat, **headers
    )
    report["dashboard_computed"] = measure(
        page, f"/dashboard/{last_year}/{sample.code}/", args.repeat, cold=True
    )
    report["dashboard_from_cache"] = measure(
        page, f"/dashboard/{last_year}/{sample.code}/", args.repeat
    )

    # The listing at a tenth of the units, then at all of them.
    tenth = args.listing // 10
    existing = Unit.objects.existing_in(2034).count()
    add_communes(city, args.communes + 1, args.communes + 1 + max(0, tenth - existing))
    report["listing_tenth"] = listing(api, headers, args.repeat)
    existing = Unit.objects.existing_in(2034).count()
    start = Unit.objects.filter(code__startswith="HP-XA-").count() + 1
    add_communes(city, start, start + max(0, args.listing - existing))
    report["listing_full"] = listing(api, headers, args.repeat)

    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
