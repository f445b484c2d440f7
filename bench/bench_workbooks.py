"""Benchmark of hostile workbooks: time and worker memory of each upload under gunicorn.

Not a test. For each workbook of `tests/hostile/workbook_bombs.py` (small on the wire, costly to
read) and a genuine one of 5 000 rows, it builds a throw-away portal (temporary SQLite database,
migrated, the catalogue, one standing-office account, DEBUG off, static files collected), starts
gunicorn with two sync workers, logs in, uploads the workbook to the values import
(/data/import/) and reports how long the answer took and how much the worker that read it grew:
its peak (VmHWM) and what it kept afterwards (VmRSS). With `--together`, two uploads of the same
workbook are sent at once while a third client asks for /healthz every 0,2 s: the slowest
answer to the probe is what everyone else saw meanwhile. A fresh gunicorn for each workbook, so
that no run inherits another's memory. Target (issue 16.1): every workbook refused or read in
under 2 s and under 50 MB of worker growth. Run from the project root (Linux, for /proc):

    .venv/bin/python bench/bench_workbooks.py                     # every workbook
    .venv/bin/python bench/bench_workbooks.py --only styles,mix --together
    .venv/bin/python bench/bench_workbooks.py --root /tmp/old     # another checkout of the code

Needs gunicorn (bench/requirements.txt).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench_upload import Client, descendants, free_port, status_kib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
USERNAMES, PASSWORD = ("bench", "bench-2"), "bench-workbooks-password-2022"
MB = 1024 * 1024

SETUP = f"""
from django.contrib.auth.models import Group, User
from assignments.models import Department, Membership
from assignments.permissions import STANDING_OFFICE_GROUP
from criteria.models import EvaluationYear
for username in {USERNAMES!r}:
    user = User.objects.create_user(username, password={PASSWORD!r})
    Membership.objects.create(user=user, department=Department.objects.get(code="GDTX-CN-DH"))
    user.groups.add(Group.objects.get(name=STANDING_OFFICE_GROUP))
EvaluationYear.objects.update_or_create(year=2022, defaults={{"state": "open"}})
"""


def workbooks() -> dict[str, bytes]:
    """Each workbook by name: the worst of each kind that fits the values import's 5 MB and the
    old 50 MB unpacked limit, then the worst mix under the limits of common/excel.py, then a
    genuine workbook of 5 000 rows as the portal writes it."""
    from tests.hostile import workbook_bombs as bombs

    built = {
        "strings": bombs.shared_strings_bomb(2_800_000),
        "styles": bombs.styles_bomb(700_000),
        "empty-rows": bombs.empty_rows_bomb(1_048_000),
        "cells": bombs.wide_rows_bomb(2_000, 1_000),
        "long-string": bombs.long_string_bomb(48_000_000),
        "far-row": bombs.far_row_bomb(),
        # under the new limits (200 000 elements, 20 000 of them styles): 40 000 strings,
        # 19 800 formats, 90 000 cells
        "mix": bombs.shared_strings_bomb(
            40_000, bombs.styles_bomb(19_800, bombs.wide_rows_bomb(100, 900))
        ),
        "strings-at-limit": bombs.shared_strings_bomb(99_800),
        "long-string-at-limit": bombs.long_string_bomb(16 * MB - 20_000),
        "genuine-5000-rows": genuine(5_000),
    }
    return built


def genuine(count: int) -> bytes:
    from decimal import Decimal

    from measurements.workbooks import ExportRow, build_workbook

    row = ExportRow(
        "HP",
        "Thành phố Hải Phòng",
        2022,
        "1.1.2",
        "Tỷ lệ người dân tham gia học tập suốt đời tại trung tâm học tập cộng đồng " * 3,
        "≥ 70 %",
        numerator=1234,
        denominator=5678,
        value=Decimal("21.73"),
        note="Số liệu của phòng giáo dục và đào tạo " * 3,
    )
    return build_workbook([row] * count)


def unpacked(data: bytes) -> int:
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


#: What the import page says when it refuses a file for its cost or its size.
REFUSALS = re.compile(r"quá nhiều|quá lớn|dùng tới dòng thứ|mất hơn|đang được đọc")


@dataclass
class Outcome:
    status: int
    seconds: float
    refused: bool


class Portal:
    """A throw-away portal under gunicorn with two workers, for one workbook."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root, self.workdir = root, workdir
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("EVIDENCE_S3_") and key not in {"DATABASE_URL", "DEBUG"}
        }
        self.env.update(
            DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
            MEDIA_ROOT=str(workdir / "media"),
            STATIC_ROOT=str(workdir / "static"),
            SECRET_KEY="bench-" + uuid.uuid4().hex,
            ALLOWED_HOSTS="127.0.0.1",
            TRUST_X_FORWARDED_PROTO="1",
            TMPDIR=str(workdir),
        )
        self.process: subprocess.Popen | None = None
        self.port = 0

    def manage(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def build(self) -> None:
        self.manage("migrate", "--no-input")
        self.manage("load_catalogue")
        self.manage("collectstatic", "--no-input")
        self.manage("shell", "-c", SETUP)

    def start(self) -> None:
        self.port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "learningcity.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=2",
                "--timeout=300",
                f"--error-logfile={self.workdir / 'gunicorn.log'}",
            ],
            cwd=self.root,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.client().get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        sys.exit("gunicorn did not answer /healthz")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def client(self) -> Client:
        client = Client(self.port)
        client.headers = _https(client.headers)
        return client

    def workers(self) -> list[int]:
        return [pid for pid in descendants(self.process.pid) if pid != self.process.pid]

    def memory(self, field: str) -> dict[int, float]:
        return {pid: status_kib(pid, field) / 1024 for pid in self.workers()}


def _https(headers):
    """Requests as the TLS proxy passes them on (the portal redirects plain HTTP)."""

    def wrapped(**extra: str) -> dict[str, str]:
        plain = headers(**extra)
        secure = plain["Referer"].replace("http://", "https://", 1)
        return {**plain, "Referer": secure, "X-Forwarded-Proto": "https"}

    return wrapped


def logged_in(portal: Portal, username: str) -> Client:
    client = portal.client()
    client.get("/accounts/login/")
    response = client.post_form(
        "/accounts/login/",
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
    )
    if response.status != 302:
        sys.exit(f"login failed: HTTP {response.status}")
    client.get("/data/import/")  # a fresh CSRF token
    return client


def upload(client: Client, data: bytes) -> Outcome:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{client.cookies['csrftoken']}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="so-lieu.xlsx"'
        "\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        "\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = head + data + tail
    headers = client.headers(**{"Content-Type": f"multipart/form-data; boundary={boundary}"})
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=600)
    connection.request("POST", "/data/import/", body, headers)
    response = connection.getresponse()
    page = response.read().decode("utf-8", "replace")
    connection.close()
    seconds = time.perf_counter() - started
    return Outcome(response.status, seconds, bool(REFUSALS.search(page)))


def run(root: Path, name: str, data: bytes, together: bool) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-workbooks-"))
    portal = Portal(root, workdir)
    try:
        portal.build()
        portal.start()
        clients = [logged_in(portal, name) for name in USERNAMES[: 2 if together else 1]]
        upload(clients[0], genuine(20))  # warm-up: every module of the import path loaded
        if together:
            upload(clients[1], genuine(20))
        peak_before, kept_before = portal.memory("VmHWM"), portal.memory("VmRSS")
        outcomes: list[Outcome] = []
        probe_seconds: list[float] = []
        done = threading.Event()

        def probe() -> None:
            probe_client = portal.client()
            while not done.is_set():
                started = time.perf_counter()
                probe_client.get("/healthz")
                probe_seconds.append(time.perf_counter() - started)
                time.sleep(0.2)

        threads = [
            threading.Thread(target=lambda c=client: outcomes.append(upload(c, data)))
            for client in clients
        ]
        prober = threading.Thread(target=probe)
        prober.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        prober.join()
        time.sleep(0.5)
        peak_after, kept_after = portal.memory("VmHWM"), portal.memory("VmRSS")
    finally:
        portal.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    peak = max(peak_after[pid] - peak_before.get(pid, peak_after[pid]) for pid in peak_after)
    kept = max(kept_after[pid] - kept_before.get(pid, kept_after[pid]) for pid in kept_after)
    seconds = max(outcome.seconds for outcome in outcomes)
    statuses = "/".join(
        f"{outcome.status} {'refused' if outcome.refused else 'read'}" for outcome in outcomes
    )
    probe = f" | {max(probe_seconds):.2f} s" if together else ""
    return (
        f"| {name} | {len(data) / 1024:,.0f} KB | {unpacked(data) / MB:,.1f} MB | {statuses} "
        f"| {seconds:.2f} s | +{peak:,.0f} MB | +{kept:,.0f} MB{probe} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--only", default="", help="comma-separated names of workbooks")
    parser.add_argument("--together", action="store_true", help="two uploads at once + a probe")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningcity.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()
    built = workbooks()
    names = [name for name in args.only.split(",") if name] or list(built)
    probe = " slowest /healthz |" if args.together else ""
    print(f"\ncode: {args.root} ({_commit(args.root)}), gunicorn, 2 sync workers")
    print(f"| workbook | on the wire | unpacked | HTTP | answer | peak | kept |{probe}")
    print("|---" * (8 if args.together else 7) + "|")
    for name in names:
        print(run(args.root, name, built[name], args.together), flush=True)


def _commit(root: Path) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return done.stdout.strip() + (" + changes" if dirty else "")


if __name__ == "__main__":
    main()
