"""Where a page's time goes: queries, SQL time, CPU time and (optionally) a cProfile listing.

Not a test. Renders the benchmark's pages in this one process with Django's test client, against
a database seeded by bench/run_load.py (run it once with `--keep`), with DEBUG off as in
production. CPU time (time.process_time) counts only this process, so the figures hold even while
other programs load the machine; SQL time is the wall time of the queries (PostgreSQL's own work
plus the round trip). Run from the project root:

    .venv/bin/python bench/run_load.py --pages none --keep     # seed learningcity_bench_15 once
    .venv/bin/python bench/profile_pages.py                        # every page, 30 renders each
    .venv/bin/python bench/profile_pages.py --database learningcity_bench_150 --pages districts
    .venv/bin/python bench/profile_pages.py --pages dashboard --profile | head -60
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def configure(database: str, pg: str, cache_url: str = "db://django_cache") -> None:
    state = ROOT / "bench" / "results" / f".{database}.json"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "learningcity.settings",
            "DATABASE_URL": f"{pg}/{database}",
            "SECRET_KEY": "bench-only-secret-key-not-for-any-server",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "CONN_MAX_AGE": "60",
            "CACHE_URL": cache_url,
        }
    )
    os.environ.pop("DEBUG", None)
    if not state.exists():
        sys.exit(f"No {state}: seed the database with bench/run_load.py --keep first.")
    saved = json.loads(state.read_text())
    os.environ["MEDIA_ROOT"], os.environ["STATIC_ROOT"] = saved["media_root"], saved["static_root"]


PAGES = {
    "healthz": ("thuongtruc1", "GET", "/healthz"),
    "login_page": ("thuongtruc1", "GET", "/accounts/login/"),
    "catalogue": ("thuongtruc1", "GET", "/criteria/"),
    "catalogue_anonymous": (None, "GET", "/criteria/"),
    "dashboard": ("bcd1", "GET", "/dashboard/2022/"),
    "districts": ("bcd1", "GET", "/dashboard/2022/districts/"),
    "my_work": ("u-pgd-hb", "GET", "/my-work/"),
    "my_work_so": ("thuongtruc1", "GET", "/my-work/"),
    "form": ("u-pgd-hb", "GET", "/data/2022/HP-HB/3.2.3/"),
    "save": ("u-pgd-hb", "POST", "/data/2022/HP-HB/3.2.3/"),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="learningcity_bench_15")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cache-url", default="db://django_cache", help="'' for no cache")
    parser.add_argument("--profile", action="store_true", help="print cProfile of the pages")
    parser.add_argument("--sql", action="store_true", help="print the queries of one render")
    args = parser.parse_args(argv)
    configure(args.database, args.pg, args.cache_url)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from measurements.models import Measurement

    print("| page | queries | SQL ms | CPU ms (best) | CPU ms (median) | wall ms (median) | KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    profiler = cProfile.Profile() if args.profile else None
    for name in args.pages.split(","):
        username, method, path = PAGES[name]
        client = Client(headers={"x-forwarded-proto": "https"})
        if username:
            client.force_login(User.objects.get(username=username))

        def render(client=client, method=method, path=path) -> int:
            if method == "GET":
                return client.get(path, secure=True)
            entry = Measurement.objects.get(unit__code="HP-HB", indicator__code="3.2.3", year=2022)
            data = {
                "numerator": "7",
                "denominator": "250000",
                "version": entry.version,
                "save": "1",
            }
            return client.post(path, data, secure=True)

        response = render()
        expected = 302 if method == "POST" else 200
        if response.status_code != expected:
            sys.exit(f"{name}: {response.status_code} from {path}")
        with CaptureQueriesContext(connection) as captured:
            render()
        queries = list(captured.captured_queries)  # the next request empties the log
        cpu, wall = [], []
        for _ in range(args.repeat):
            if profiler:
                profiler.enable()
            started_cpu, started = time.process_time(), time.perf_counter()
            response = render()
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
            if profiler:
                profiler.disable()
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        print(
            f"| {name} | {len(queries)} | {sql_ms:.1f} | {min(cpu) * 1000:.1f} | "
            f"{statistics.median(cpu) * 1000:.1f} | "
            f"{statistics.median(wall) * 1000:.1f} | {len(response.content) / 1024:.0f} |"
        )
        if args.sql:
            for q in queries:
                print(f"    {q['time']}  {q['sql'][:300]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
