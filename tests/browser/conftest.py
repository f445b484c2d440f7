"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright against live_server.

Skipped with a clear reason where Chromium is not installed (`apt-get install chromium
fonts-liberation2`; `.ci/run` installs it). Playwright never downloads a browser here.
"""

import os
import shutil
import tempfile

import pytest
from django.test import override_settings

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# live_server runs Django in a thread while Playwright's sync API owns an event loop here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain HTTP; production settings (DEBUG off) would redirect to HTTPS
    and send HSTS. Overridden for the whole session, before live_server builds its middleware."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield


@pytest.fixture(scope="session")
def browser_context():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            locale="vi-VN",
            extra_http_headers={"Accept-Language": "vi"},
            viewport={"width": 1366, "height": 900},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context, live_server):
    page = browser_context.new_page()
    page.set_default_timeout(15000)
    yield page
    browser_context.clear_cookies()
    page.close()


@pytest.fixture
def log_in(page, live_server):
    """Log in through the real login form, as a person would."""

    def login(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_load_state("networkidle")

    return login
