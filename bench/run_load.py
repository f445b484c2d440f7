"""Load benchmark of the whole stack: gunicorn + Django + PostgreSQL, driven by wrk.

Not a test. It creates a fresh PostgreSQL database, migrates it, seeds realistic data
(bench/seed.py: the catalogue, the city and its districts, years of values, documents in the
evidence storage), collects the static files, starts the portal under gunicorn with DEBUG off,
logs the clients in (one session each) and drives the portal from wrk (a second process) with
bench/session.lua: 20 concurrent logged-in clients per page, one page at a time — /healthz (the
stack's ceiling), the catalogue, the city dashboard, the district matrix, "my work", the data-entry
form and a form save — then, with `--soak`, a mixed load for that many seconds while sampling the
resident memory of every gunicorn worker. It prints a Markdown table (throughput, p50/p95/p99,
errors, throughput as a share of /healthz's) and writes every figure to bench/results/.

    .venv/bin/pip install -r bench/requirements.txt && apt-get install wrk   # once
    .venv/bin/python bench/run_load.py                                # 15 districts, 2 years
    .venv/bin/python bench/run_load.py --districts 150 --years 10     # the scaled data set
    .venv/bin/python bench/run_load.py --pages none --soak 300        # 5 minutes of mixed load

See bench/README.md for every option and docs/performance.md for the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
YEAR = 2022
PASSWORD = "bench-2022-tai"
PAGES = ("healthz", "frame", "catalogue", "dashboard", "districts", "my_work", "form", "save")
#: Targets of issue 8 on the 2-core machine.
TARGET_P95_MS = 250
TARGET_DASHBOARD_RATIO = 0.5
#: City indicators the standing-office clients save (none is reported by districts), and the
#: districts' own; those counted from a list (`list_source`) are typed differently and left out.
CITY_SAVE_CODES = ("2.1.1", "2.2.1", "2.2.2", "3.1.1", "3.1.2", "3.1.4", "2.2.3", "3.1.5")
DISTRICT_SAVE_CODES = ("3.2.3", "1.2.1", "2.1.2", "3.2.1", "1.2.2")
#: Form fields per indicator kind: `{n}` varies at every save, `{version}` is the version read.
SAVE_FIELDS = {
    "document": {"yes": "yes"},
    "activity": {"yes": "yes"},
    "share_at_least": {"numerator": "{n}", "denominator": "100"},
    "rate_below": {"numerator": "{n}", "denominator": "250000"},
    # A typed previous figure of an indicator with a stated standard must name its source: the
    # saves compare with last year's approved figure instead, as most entries do.
    "drop_at_least": {"value": "{n}"},
    "increase": {"value": "1{n}"},
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Database, data and server ----------------------------------------------------------------


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create `name` on the PostgreSQL server; return its URL."""
    import psycopg  # the portal's own driver (requirements.txt)

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def clear_cache(env: dict[str, str]) -> None:
    """Start from an empty cache: the seeding wrote with bulk_create, which sends no signal."""
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")


def vacuum_analyze(database_url: str) -> None:
    """What autovacuum does on a server that has been running: fresh planner statistics (the
    seeded tables would otherwise be planned as empty) and no dead rows from the seeding."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def seed(env: dict[str, str], args: argparse.Namespace) -> dict:
    command = [sys.executable, str(BENCH / "seed.py"), "--districts", str(args.districts)]
    command += ["--years", str(args.years), "--password", PASSWORD]
    if args.documents is not None:
        command += ["--documents", str(args.documents)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"bench/seed.py failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path
    database_url: str
    nice: int = 0

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_gunicorn(env: dict[str, str], args: argparse.Namespace, workdir: Path) -> Server:
    port = args.port or free_port()
    log_path = workdir / "gunicorn.log"
    command = [
        str(VENV_BIN / "gunicorn"),
        "learningcity.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        f"--threads={args.threads}",
        "--timeout=60",
        f"--error-logfile={log_path}",
    ]
    process = subprocess.Popen(_niced(args.nice, command), cwd=ROOT, env=env)
    server = Server(process, port, log_path, env["DATABASE_URL"], args.nice)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(server, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    sys.exit(f"gunicorn did not answer /healthz; see {log_path}")


def _niced(nice: int, command: list[str]) -> list[str]:
    """The command run at this scheduling priority (its children inherit it)."""
    return ["nice", "-n", str(nice), *command] if nice else command


def postgres_backends(server: Server) -> list[int]:
    """The PostgreSQL processes serving the portal's connections (kept open: CONN_MAX_AGE)."""
    import psycopg

    with psycopg.connect(server.database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchall()
    pids = [pid for (pid,) in rows]
    if server.nice:
        for pid in pids:
            with contextlib.suppress(OSError):  # gone meanwhile
                os.setpriority(os.PRIO_PROCESS, pid, server.nice)
    return pids


def request(
    server: Server, method: str, path: str, body: str | None = None, cookies: str = ""
) -> tuple[int, dict[str, str], list[str], str]:
    """One request as nginx would pass it on (X-Forwarded-Proto: https)."""
    origin = f"https://127.0.0.1:{server.port}"
    headers = {"X-Forwarded-Proto": "https", "Cookie": cookies}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + path,
        }
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        set_cookies = response.msg.get_all("Set-Cookie") or []
        return response.status, dict(response.getheaders()), set_cookies, content
    finally:
        connection.close()


def _cookie_values(set_cookies: list[str]) -> dict[str, str]:
    jar = SimpleCookie()
    for header in set_cookies:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


@dataclass
class Session:
    username: str
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def login(server: Server, username: str) -> Session:
    """Log in through the real login form (CSRF cookie, POST, session cookie)."""
    status, _, set_cookies, _ = request(server, "GET", "/accounts/login/")
    session = Session(username, _cookie_values(set_cookies))
    if status != 200 or "csrftoken" not in session.cookies:
        sys.exit(f"GET /accounts/login/ answered {status} without a CSRF cookie")
    body = urlencode(
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/",
        }
    )
    status, _, set_cookies, _ = request(
        server, "POST", "/accounts/login/", body, cookies=session.header
    )
    session.cookies |= _cookie_values(set_cookies)  # the CSRF token rotates at login
    if status != 302 or "sessionid" not in session.cookies:
        sys.exit(f"login of {username} failed ({status})")
    return session


# --- Clients and wrk ---------------------------------------------------------------------------


@dataclass
class Client:
    session: Session
    save_path: str = ""
    save_body: str = ""
    version: int | None = None

    def lua(self, actions: list[dict]) -> str:
        items = ", ".join(
            f'{{ kind = "{a["kind"]}", path = "{a["path"]}", expect = {a.get("expect", 200)} }}'
            for a in actions
        )
        save = ""
        if self.save_path:
            version = "nil" if self.version is None else str(self.version)
            save = (
                f', save = {{ path = "{self.save_path}", body = "{self.save_body}", '
                f"version = {version} }}"
            )
        return f'{{ cookie = "{self.session.header}", actions = {{ {items} }}{save} }}'


def officer_clients(server: Server, roles: dict, count: int) -> list[Client]:
    """District offices saving their own district's values, then standing-office members saving
    the city's: each client its own entry, so no save collides with another."""
    clients = []
    kinds = _typed_indicator_kinds()
    city_codes = [code for code in CITY_SAVE_CODES if code in kinds][: len(roles["standing"])]
    district_codes = [code for code in DISTRICT_SAVE_CODES if code in kinds]
    for i, username in enumerate(roles["district"][: max(0, count - len(city_codes))]):
        unit = "HP-" + username.removeprefix("u-pgd-").upper()
        code = district_codes[i % len(district_codes)]
        clients.append(_officer(server, username, unit, code, kinds))
    for i in range(count - len(clients)):  # one city entry per standing-office client
        username = roles["standing"][i % len(roles["standing"])]
        clients.append(_officer(server, username, "HP", city_codes[i % len(city_codes)], kinds))
    return clients


def _typed_indicator_kinds() -> dict[str, str]:
    """Code → kind of the indicators whose values are typed (not counted from a list), as the
    seeded catalogue (fixtures/haiphong_2022.json) has them."""
    fixture = json.loads((ROOT / "fixtures" / "haiphong_2022.json").read_text())
    return {
        row["fields"]["code"]: row["fields"]["kind"]
        for row in fixture
        if row["model"] == "criteria.indicator" and not row["fields"].get("list_source")
    }


def _officer(server: Server, username: str, unit: str, code: str, kinds: dict) -> Client:
    session = login(server, username)
    path = f"/data/{YEAR}/{unit}/{code}/"
    status, _, _, html = request(server, "GET", path, cookies=session.header)
    if status != 200:
        sys.exit(f"{username} cannot open {path} ({status})")
    found = re.search(r'name="version"[^>]*?value="(\d+)"', html)
    fields = {
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
        **SAVE_FIELDS[kinds[code]],
        "note": "Thử tải",
        "version": "{version}",
        "save": "1",
    }
    body = urlencode(fields, safe="{}")
    return Client(session, path, body, int(found.group(1)) if found else None)


def reader_clients(server: Server, roles: dict, count: int) -> list[Client]:
    """Standing office, committee and divisions in turn: people who read every dashboard."""
    names = [*roles["standing"], *roles["committee"], *roles["division"]]
    order = [names[i % len(names)] for i in range(count)]
    return [Client(login(server, username)) for username in order]


PAGE_ACTIONS = {
    "healthz": [{"kind": "get", "path": "/healthz"}],
    # The empty frame: the login form shown to a signed-in person — the session, the user, the
    # person's rights and base.html with its menu, no content.
    "frame": [{"kind": "get", "path": "/accounts/login/"}],
    "catalogue": [{"kind": "get", "path": "/criteria/"}],
    "dashboard": [{"kind": "get", "path": f"/dashboard/{YEAR}/"}],
    "districts": [{"kind": "get", "path": f"/dashboard/{YEAR}/districts/"}],
    "my_work": [{"kind": "get", "path": "/my-work/"}],
    "form": [{"kind": "form", "path": "{form}"}],
    "save": [{"kind": "save", "path": "{form}", "expect": 302}],
}
#: Who loads which page: readers (not district offices: the matrix refuses them) or officers.
PAGE_CLIENTS = {
    "healthz": "readers",
    "frame": "readers",
    "catalogue": "readers",
    "dashboard": "readers",
    "districts": "readers",
    "my_work": "officers",
    "form": "officers",
    "save": "officers",
}
#: The mixed load of the soak run: each officer and reader walks these in a loop.
OFFICER_MIX = ["my_work", "form", "save", "dashboard", "catalogue", "form", "save"]
READER_MIX = ["dashboard", "districts", "catalogue", "dashboard", "my_work"]


def write_clients(path: Path, server: Server, clients: list[tuple[Client, list[str]]]) -> None:
    lines = []
    for client, pages in clients:
        actions = [
            {**a, "path": a["path"].replace("{form}", client.save_path)}
            for page in pages
            for a in PAGE_ACTIONS[page]
        ]
        lines.append("    " + client.lua(actions))
    path.write_text(
        f'return {{ origin = "https://127.0.0.1:{server.port}", clients = {{\n'
        + ",\n".join(lines)
        + "\n} }\n"
    )


def run_wrk(server: Server, clients_file: Path, connections: int, seconds: float) -> dict:
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{round(seconds)}s",
        "--timeout=10s",
        "-s",
        str(BENCH / "session.lua"),
        f"http://127.0.0.1:{server.port}",
    ]
    env = {**os.environ, "BENCH_CLIENTS": str(clients_file)}
    load_before = os.getloadavg()[0]
    backends = postgres_backends(server)
    cpu_before = cpu_seconds(server.worker_pids())
    pg_before = {pid: cpu_seconds([pid]) for pid in backends}
    result = subprocess.run(
        _niced(server.nice, command), env=env, capture_output=True, text=True, check=False
    )
    cpu_used = cpu_seconds(server.worker_pids()) - cpu_before
    # Backends alive at both ends (one that CONN_MAX_AGE closed meanwhile is left out).
    pg_after = {pid: cpu_seconds([pid]) for pid in postgres_backends(server)}
    pg_used = sum(
        max(0.0, pg_after[pid] - pg_before[pid]) for pid in pg_before.keys() & pg_after.keys()
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        sys.exit(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = figures["duration_us"] / 1e6
    errors = sum(figures[k] for k in ("connect", "read", "write", "timeout", "unexpected"))
    return {
        "requests": figures["requests"],
        "rps": figures["requests"] / seconds_run,
        "p50_ms": figures["p50"] / 1000,
        "p95_ms": figures["p95"] / 1000,
        "p99_ms": figures["p99"] / 1000,
        "max_ms": figures["max"] / 1000,
        "errors": errors,
        "saves": figures["saves"],
        "error_samples": figures["samples"],
        "kb_per_request": figures["bytes"] / max(1, figures["requests"]) / 1024,
        # CPU time of the gunicorn workers per request: steadier than throughput while other
        # programs share the machine (it excludes PostgreSQL's own work).
        "worker_cpu_ms": cpu_used * 1000 / max(1, figures["requests"]),
        # … and of the PostgreSQL backends that served them (those open when the run began).
        "postgres_cpu_ms": pg_used * 1000 / max(1, figures["requests"]),
        "load_before": load_before,
    }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (/proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


# --- Memory ------------------------------------------------------------------------------------


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class MemorySampler(threading.Thread):
    """Samples the RSS of every gunicorn worker every `interval` seconds."""

    def __init__(self, server: Server, interval: float) -> None:
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.samples: list[tuple[float, dict[int, int]]] = []
        self.stopped = threading.Event()

    def sample(self) -> None:
        pids = self.server.worker_pids()
        self.samples.append(
            (time.monotonic(), {pid: rss for pid in pids if (rss := rss_kib(pid)) is not None})
        )

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stopped.set()
        self.join()
        self.sample()


# --- Reports -----------------------------------------------------------------------------------


def median_run(runs: list[dict]) -> dict:
    """The run of median throughput (the upper median for an even number of runs)."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["runs_rps"] = [round(r["rps"], 1) for r in runs]
    chosen["best_rps"] = max(r["rps"] for r in runs)
    return chosen


def table(results: dict[str, dict]) -> str:
    """One line per page; the last column is its workers' CPU per request over the empty
    frame's (issue 18's measure)."""
    ceiling = results.get("healthz", {}).get("rps")
    frame = results.get("frame", {}).get("worker_cpu_ms")
    lines = [
        "| page | req/s (median) | best | p50 ms | p95 ms | p99 ms | errors | vs /healthz "
        "| CPU ms/req: workers + PostgreSQL | worker CPU vs frame |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, r in results.items():
        ratio = f"{r['rps'] / ceiling:.2f}" if ceiling else "—"
        framed = f"{r['worker_cpu_ms'] / frame:.2f}×" if frame else "—"
        lines.append(
            f"| {page} | {r['rps']:.0f} | {r['best_rps']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {ratio} | "
            f"{r['worker_cpu_ms']:.1f} + {r['postgres_cpu_ms']:.1f} | {framed} |"
        )
    return "\n".join(lines)


def verdicts(results: dict[str, dict]) -> list[str]:
    lines = []
    errors = sum(r["errors"] for r in results.values())
    lines.append(f"no errors: {'met' if errors == 0 else f'NOT met ({errors})'}")
    slow = [p for p, r in results.items() if r["p95_ms"] >= TARGET_P95_MS]
    lines.append(
        f"p95 < {TARGET_P95_MS} ms: {'met' if not slow else 'NOT met: ' + ', '.join(slow)}"
    )
    if "healthz" in results and "dashboard" in results:
        ratio = results["dashboard"]["rps"] / results["healthz"]["rps"]
        state = "met" if ratio >= TARGET_DASHBOARD_RATIO else "NOT met"
        lines.append(f"dashboard ≥ {TARGET_DASHBOARD_RATIO:.0%} of /healthz: {state} ({ratio:.2f})")
    return lines


def memory_report(sampler: MemorySampler) -> dict:
    first, last = sampler.samples[0][1], sampler.samples[-1][1]
    workers = {}
    for pid in sorted(first.keys() | last.keys()):
        series = [s[pid] for _, s in sampler.samples if pid in s]
        workers[pid] = {
            "start_mib": round(first.get(pid, 0) / 1024, 1),
            "end_mib": round(last.get(pid, 0) / 1024, 1),
            "max_mib": round(max(series) / 1024, 1),
            # The second half of the run against the first: growth that continues, not warm-up.
            "late_growth_mib": round(
                (max(series[len(series) // 2 :]) - max(series[: len(series) // 2])) / 1024, 1
            )
            if len(series) > 3
            else 0.0,
        }
    return workers


# --- Main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data = parser.add_argument_group("data")
    data.add_argument("--districts", type=int, default=15)
    data.add_argument("--years", type=int, default=2)
    data.add_argument("--documents", type=int, default=None, help="default: ~9 per unit-year")
    data.add_argument("--database", default=None, help="default: learningcity_bench_<districts>")
    data.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    data.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    server = parser.add_argument_group("server")
    server.add_argument("--workers", type=int, default=3)
    server.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    server.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    server.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE (seconds)")
    server.add_argument(
        "--cache-url", default="db://django_cache", help="CACHE_URL ('' for no cache)"
    )
    server.add_argument("--port", type=int, default=0)
    server.add_argument(
        "--nice",
        type=int,
        default=0,
        help="scheduling priority of gunicorn, wrk and the portal's PostgreSQL backends "
        "(e.g. -10 on a machine shared with other work; needs root)",
    )
    load = parser.add_argument_group("load")
    load.add_argument("--clients", type=int, default=20)
    load.add_argument("--duration", type=float, default=20, help="seconds per page and run")
    load.add_argument("--warmup", type=float, default=5, help="seconds of mixed load first")
    load.add_argument("--repeat", type=int, default=3, help="runs per page (median reported)")
    load.add_argument("--pages", default=",".join(PAGES), help="comma-separated, or 'none'")
    load.add_argument("--soak", type=float, default=0, help="seconds of mixed load, at the end")
    load.add_argument(
        "--churn",
        type=float,
        default=0,
        help="saves a second sent beside the dashboard's load, after the pages (0: no such run)",
    )
    load.add_argument("--sample-every", type=float, default=5, help="seconds between RSS samples")
    parser.add_argument("--label", default=None, help="name of the results file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    args.pages = [] if args.pages == "none" else args.pages.split(",")
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    return args


def prepare(args: argparse.Namespace, workdir: Path) -> tuple[dict[str, str], dict]:
    name = args.database or f"learningcity_bench_{args.districts}"
    env = {
        **os.environ,
        "DEBUG": "",
        "SECRET_KEY": "bench-only-secret-key-not-for-any-server",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUST_X_FORWARDED_PROTO": "1",
        "CONN_MAX_AGE": str(args.conn_max_age),
        "CACHE_URL": args.cache_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
    }
    state_file = BENCH / "results" / f".{name}.json"
    if args.reuse and state_file.exists():
        saved = json.loads(state_file.read_text())
        env["DATABASE_URL"], env["MEDIA_ROOT"] = saved["database_url"], saved["media_root"]
        env["STATIC_ROOT"] = saved["static_root"]
        log(f"reusing database {name} (migrated to the code as it is now)")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--no-input", "-v0")
        vacuum_analyze(env["DATABASE_URL"])
        clear_cache(env)
        return env, saved["seeded"]
    env["DATABASE_URL"] = fresh_database(args.pg, name)
    log(f"fresh database {name}: migrate, seed, collectstatic")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "createcachetable")
    seeded = seed(env, args)
    log(f"seeded: {json.dumps(seeded['seed'], ensure_ascii=False)}")
    vacuum_analyze(env["DATABASE_URL"])
    clear_cache(env)
    manage(env, "collectstatic", "--no-input", "-v0")
    if args.keep:
        state_file.parent.mkdir(exist_ok=True)
        state_file.write_text(
            json.dumps(
                {
                    "database_url": env["DATABASE_URL"],
                    "media_root": env["MEDIA_ROOT"],
                    "static_root": env["STATIC_ROOT"],
                    "seeded": seeded,
                }
            )
        )
    return env, seeded


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-"))
    env, seeded = prepare(args, workdir)
    roles = seeded["roles"]
    server = start_gunicorn(env, args, workdir)
    report: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "command": " ".join([Path(sys.argv[0]).as_posix(), *(argv or sys.argv[1:])]),
        "data": seeded["seed"],
        "server": {
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
            "conn_max_age": args.conn_max_age,
            "cache_url": args.cache_url,
            "nice": args.nice,
        },
        "clients": args.clients,
        "cpus": os.cpu_count(),
    }
    try:
        log(f"gunicorn on :{server.port} ({args.workers} {args.worker_class} workers); log in")
        officers = officer_clients(server, roles, args.clients)
        readers = reader_clients(server, roles, args.clients)
        files = {}
        for page in PAGES:
            group = officers if PAGE_CLIENTS[page] == "officers" else readers
            files[page] = workdir / f"clients-{page}.lua"
            write_clients(files[page], server, [(c, [page]) for c in group])
        half = args.clients // 2
        mixed = [(c, OFFICER_MIX) for c in officers[:half]]
        mixed += [(c, READER_MIX) for c in readers[: args.clients - half]]
        files["mixed"] = workdir / "clients-mixed.lua"
        write_clients(files["mixed"], server, mixed)
        if args.warmup:
            log(f"warm-up: {args.warmup:.0f} s of mixed load")
            run_wrk(server, files["mixed"], args.clients, args.warmup)
        runs: dict[str, list[dict]] = {page: [] for page in args.pages}
        for round_number in range(1, args.repeat + 1):
            for page in args.pages:
                result = run_wrk(server, files[page], args.clients, args.duration)
                runs[page].append(result)
                log(
                    f"round {round_number} {page:<9} {result['rps']:7.1f} req/s  "
                    f"p95 {result['p95_ms']:6.1f} ms  errors {result['errors']}"
                )
        results = {page: median_run(r) for page, r in runs.items() if r}
        report["pages"] = results
        if results:
            print(table(results))
            for line in verdicts(results):
                print("- " + line)
        if args.churn:
            report["churn"] = churn(server, files["dashboard"], officers, args)
        if args.soak:
            report["soak"] = soak(server, files["mixed"], args)
        report["gunicorn_log_tail"] = server.log_path.read_text()[-2000:]
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    label = args.label or f"{args.districts}d-{args.years}y-{time.strftime('%Y%m%d-%H%M%S')}"
    path = out / f"{label}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log(f"figures written to {path.relative_to(ROOT)}")


class Writer(threading.Thread):
    """Saves at a steady rate beside wrk's load, each of its officers' own entry in turn."""

    def __init__(self, server: Server, officers: list[Client], rate: float) -> None:
        super().__init__(daemon=True)
        self.server, self.officers, self.interval = server, officers, 1 / rate
        self.versions: dict[int, int | None] = {}
        self.saves = 0
        self.refusals: list[int] = []
        self.halt = threading.Event()

    def _read_version(self, index: int) -> None:
        client = self.officers[index]
        _, _, _, html = request(self.server, "GET", client.save_path, cookies=client.session.header)
        found = re.search(r'name="version"[^>]*?value="(\d+)"', html)
        self.versions[index] = int(found.group(1)) if found else None

    def run(self) -> None:
        for index in range(len(self.officers)):
            self._read_version(index)
        next_at, count = time.monotonic(), 0
        while not self.halt.is_set():
            index = count % len(self.officers)
            client, version = self.officers[index], self.versions[index]
            body = client.save_body.replace("{version}", "" if version is None else str(version))
            body = body.replace("{n}", str(count % 97 + 1))
            status, *_ = request(
                self.server, "POST", client.save_path, body, cookies=client.session.header
            )
            if status == 302:
                self.saves += 1
                self.versions[index] = (version or 0) + 1
            else:
                self.refusals.append(status)
                self._read_version(index)
            count += 1
            next_at += self.interval
            self.halt.wait(max(0.0, next_at - time.monotonic()))


def write_churn(server: Server, officers: list[Client], rate: float) -> list[Writer]:
    """December's write churn: `rate` saves a second in all, from one writer per save a second
    (each waits for its answer, which takes a few hundred milliseconds under load), each writer
    its own officers' entries, so no two saves collide."""
    count = max(1, math.ceil(rate))
    writers = [Writer(server, officers[i::count], rate / count) for i in range(count)]
    for writer in writers:
        writer.start()
    return writers


def churn(
    server: Server, clients_file: Path, officers: list[Client], args: argparse.Namespace
) -> dict:
    """The dashboard's load alone, then with `--churn` saves a second beside it, `--repeat`
    times in turn; the rounds of median throughput compared."""
    log(f"churn: the dashboard alone, then beside {args.churn:g} saves a second")
    alone, beside, writes = [], [], []
    for _ in range(args.repeat):
        alone.append(run_wrk(server, clients_file, args.clients, args.duration))
        writers = write_churn(server, officers, args.churn)
        beside.append(run_wrk(server, clients_file, args.clients, args.duration))
        for writer in writers:
            writer.halt.set()
        for writer in writers:
            writer.join()
        saves = sum(writer.saves for writer in writers)
        refusals = [status for writer in writers for status in writer.refusals]
        writes.append({"saves": saves, "per_second": saves / args.duration, "refused": refusals})
        log(
            f"dashboard alone p50 {alone[-1]['p50_ms']:.1f} ms; beside "
            f"{saves / args.duration:.1f} saves/s p50 {beside[-1]['p50_ms']:.1f} ms"
        )
    result = {"alone": median_run(alone), "beside": median_run(beside), "writes": writes}
    ratio = result["beside"]["p50_ms"] / result["alone"]["p50_ms"]
    result["p50_ratio"] = ratio
    print(
        f"\nchurn: dashboard p50 {result['alone']['p50_ms']:.1f} ms alone, "
        f"{result['beside']['p50_ms']:.1f} ms beside {args.churn:g} saves/s ({ratio:.2f}×); "
        f"saves {sum(w['saves'] for w in writes)}, refused {sum(len(w['refused']) for w in writes)}"
    )
    return result


def soak(server: Server, clients_file: Path, args: argparse.Namespace) -> dict:
    log(f"soak: {args.soak:.0f} s of mixed load, RSS sampled every {args.sample_every:.0f} s")
    sampler = MemorySampler(server, args.sample_every)
    sampler.sample()
    sampler.start()
    result = run_wrk(server, clients_file, args.clients, args.soak)
    sampler.stop()
    workers = memory_report(sampler)
    print(
        f"\nsoak {args.soak:.0f} s: {result['requests']} requests, {result['rps']:.0f} req/s, "
        f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"errors {result['errors']}, saves {result['saves']}"
    )
    print("| worker pid | RSS start MiB | RSS end MiB | max MiB | growth, 2nd half vs 1st |")
    print("|---|---:|---:|---:|---:|")
    for pid, w in workers.items():
        print(
            f"| {pid} | {w['start_mib']} | {w['end_mib']} | {w['max_mib']} | "
            f"{w['late_growth_mib']:+} |"
        )
    return {
        **result,
        "workers": workers,
        "samples": [
            (round(t - sampler.samples[0][0], 1), {str(p): v for p, v in s.items()})
            for t, s in sampler.samples
        ],
        "median_rss_mib": statistics.median(w["end_mib"] for w in workers.values())
        if workers
        else None,
    }


if __name__ == "__main__":
    main()
