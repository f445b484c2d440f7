"""Benchmark of a large evidence upload: the server's memory while a 200 MB file streams in.

Not a test. It builds a throw-away portal (temporary SQLite database and media root, migrated, the
Hải Phòng catalogue, one standing-office account, year 2022 open), starts
`manage.py runserver --noreload` on a free port, logs in, uploads a small file to warm the
server up, then streams a 200 MB PDF (one page whose content stream holds the 200 MB, so that the
upload's deeper look parses it) as multipart/form-data from a generator: the client never holds
the file in memory. It reads the server's peak resident
memory (VmHWM in /proc/<pid>/status, children included) before and after, checks that the stored
version has the SHA-256 the client computed, and prints the growth. Target: under 50 MB.
Run from the project root (Linux, for /proc):

    .venv/bin/python bench/bench_upload.py [--megabytes 200]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
TARGET_GROWTH_MB = 50
CHUNK = MB
USERNAME, PASSWORD = "bench", "bench-upload-password-2022"
YEAR, UNIT = 2022, "HP"

SETUP = f"""
from django.contrib.auth.models import Group, User
from assignments.models import Department, Membership
from assignments.permissions import STANDING_OFFICE_GROUP
from criteria.models import EvaluationYear
user = User.objects.create_user({USERNAME!r}, password={PASSWORD!r})
Membership.objects.create(user=user, department=Department.objects.get(code="GDTX-CN-DH"))
user.groups.add(Group.objects.get(name=STANDING_OFFICE_GROUP))
EvaluationYear.objects.update_or_create(year={YEAR}, defaults={{"state": "open"}})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def descendants(pid: int) -> list[int]:
    """The process and every process it started (none for runserver --noreload, but gunicorn or
    a reloader would have some)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            todo.extend(int(child) for child in children.read_text().split())
    return found


def status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1))


def peak_rss_mib(pid: int) -> float:
    return sum(status_kib(p, "VmHWM") for p in descendants(pid)) / 1024


def current_rss_mib(pid: int) -> float:
    return sum(status_kib(p, "VmRSS") for p in descendants(pid)) / 1024


class Client:
    """A tiny HTTP client that keeps the session and CSRF cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def _remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})

    def headers(self, **extra: str) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "Referer": f"http://127.0.0.1:{self.port}/", **extra}

    def get(self, path: str) -> tuple[int, str]:
        connection = self._connection()
        connection.request("GET", path, headers=self.headers())
        response = connection.getresponse()
        self._remember(response)
        body = response.read().decode()
        connection.close()
        return response.status, body

    def post_form(self, path: str, fields: dict[str, str]) -> http.client.HTTPResponse:
        connection = self._connection()
        body = urlencode(fields)
        content_type = "application/x-www-form-urlencoded"
        connection.request("POST", path, body, self.headers(**{"Content-Type": content_type}))
        response = connection.getresponse()
        self._remember(response)
        response.read()
        connection.close()
        return response

    def post_stream(
        self, path: str, parts: list[bytes | Iterator[bytes]], length: int, boundary: str
    ) -> http.client.HTTPResponse:
        """POST a multipart body sent piece by piece, with its Content-Length known in advance
        (runserver does not read chunked requests)."""
        connection = self._connection()
        connection.putrequest("POST", path)
        headers = self.headers(
            **{
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
            }
        )
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for part in parts:
            for piece in [part] if isinstance(part, bytes) else part:
                connection.send(piece)
        response = connection.getresponse()
        self._remember(response)
        response.read()
        connection.close()
        return response


def genuine_pdf(size: int, digest: hashlib._Hash) -> tuple[Iterator[bytes], int]:
    """A PDF of one page whose content stream holds `size` bytes (as a scan's picture does), and
    its length: it passes the upload's deeper look (evidence/inspection.py). Generated a chunk at
    a time and hashed on the way."""
    before = (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\n"
        b"endobj\n"
    )
    offsets = [before.index(b"%d 0 obj" % number) for number in (1, 2, 3)]
    offsets.append(len(before))
    stream_head = b"4 0 obj\n<< /Length %d >>\nstream\n" % size
    xref = len(before) + len(stream_head) + size + len(b"\nendstream\nendobj\n")
    after = (
        b"\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n"
        + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )

    def chunks() -> Iterator[bytes]:
        filler = bytes(range(256)) * (CHUNK // 256)
        digest.update(before + stream_head)
        yield before + stream_head
        sent = 0
        while sent < size:
            chunk = filler[: size - sent]
            digest.update(chunk)
            sent += len(chunk)
            yield chunk
        digest.update(after)
        yield after

    return chunks(), len(before) + len(stream_head) + size + len(after)


def upload(
    client: Client, indicator: str, size: int, name: str
) -> tuple[http.client.HTTPResponse, str, float]:
    """Upload a generated file of `size` bytes; returns the response, its SHA-256, seconds."""
    boundary = uuid.uuid4().hex
    fields = {
        "csrfmiddlewaretoken": client.cookies["csrftoken"],
        "indicators": indicator,
        "title": f"Benchmark {size // MB} MB",
    }
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    digest = hashlib.sha256()
    pdf, length = genuine_pdf(size, digest)
    started = time.perf_counter()
    response = client.post_stream(
        f"/evidence/{YEAR}/{UNIT}/upload/",
        [head, pdf, tail],
        len(head) + length + len(tail),
        boundary,
    )
    return response, digest.hexdigest(), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200, help="size of the big upload")
    args = parser.parse_args()
    size = args.megabytes * MB

    workdir = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EVIDENCE_S3_") and key != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        DEBUG="1",
        EVIDENCE_MAX_UPLOAD_BYTES=str(size + 16 * MB),
        TMPDIR=str(workdir),  # Django's temporary upload files
    )
    server = None
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "load_catalogue")
        manage(env, "shell", "-c", SETUP)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = Client(port)
        for _ in range(100):
            try:
                client.get("/accounts/login/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("the server did not start")
        login = client.post_form(
            "/accounts/login/",
            {
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
        )
        if login.status != 302:
            sys.exit(f"login failed: HTTP {login.status}")
        _status, page = client.get(f"/evidence/{YEAR}/{UNIT}/upload/")
        indicator = re.search(r'name="indicators" value="(\d+)"', page).group(1)

        # Warm up: one small upload, so that every module of the upload path is loaded.
        warm, _digest, _seconds = upload(client, indicator, MB, "warm-up.pdf")
        if warm.status != 302:
            sys.exit(f"warm-up upload failed: HTTP {warm.status}")
        before_peak, before_rss = peak_rss_mib(server.pid), current_rss_mib(server.pid)

        response, sha256, seconds = upload(client, indicator, size, "Báo cáo lớn.pdf")
        after_peak, after_rss = peak_rss_mib(server.pid), current_rss_mib(server.pid)
        location = response.getheader("Location", "")
        if response.status != 302 or "/evidence/documents/" not in location:
            sys.exit(f"the big upload failed: HTTP {response.status} {location}")
        _status, detail = client.get(location)
        stored = sha256 in detail
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    growth = after_peak - before_peak
    print(f"uploaded {args.megabytes} MB in {seconds:.1f} s ({args.megabytes / seconds:.0f} MB/s)")
    print(f"stored version has the client's SHA-256 ({sha256[:16]}…): {'yes' if stored else 'NO'}")
    print(f"server peak RSS (VmHWM) before: {before_peak:.1f} MiB   after: {after_peak:.1f} MiB")
    print(f"server RSS now (VmRSS)  before: {before_rss:.1f} MiB   after: {after_rss:.1f} MiB")
    verdict = "OK" if growth < TARGET_GROWTH_MB and stored else "OVER TARGET"
    print(f"peak memory growth: {growth:.1f} MiB (target < {TARGET_GROWTH_MB} MB) — {verdict}")
    sys.exit(0 if verdict == "OK" else 1)


if __name__ == "__main__":
    main()
