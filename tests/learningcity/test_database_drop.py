"""The database can drop (issue 16.9): a PostgreSQL restart or a failover ends every connection
the workers keep (CONN_MAX_AGE). With CONN_HEALTH_CHECKS a worker checks its kept connection
before a request uses it and opens a new one, so no request fails.

The test client skips Django's connection handling (it never closes or checks connections around
a request), so this runs a real server in its own process — one thread, keeping its connection
as a sync gunicorn worker does — against the test database, and ends its connections with
pg_terminate_backend between two requests."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="ends PostgreSQL backends of the server"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def server_backends() -> list[int]:
    """The PostgreSQL processes serving the server's connections (not this test's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.fixture
def server():
    """runserver without threads (one connection, kept 60 s) on the test database."""
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "60", "DEBUG": "1"}
    env.pop("TEST_DATABASE_NAME", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                status(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_requests_after_the_connections_are_ended_succeed(server):
    assert status(server, "/criteria/sets/") == 200  # a page that reads the database
    kept = server_backends()
    assert len(kept) == 1  # the server kept its connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept[0]])
    for _ in range(50):  # the backend takes a moment to go
        if kept[0] not in server_backends():
            break
        time.sleep(0.1)

    assert [status(server, "/criteria/sets/") for _ in range(3)] == [200, 200, 200]
    assert server_backends() not in ([], kept)  # a new connection, kept in its turn
