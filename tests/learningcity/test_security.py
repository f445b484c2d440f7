"""Production settings, security headers, the Content-Security-Policy and login throttling."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).parents[2]


@pytest.mark.once
def test_check_deploy_is_clean_with_production_variables():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "TRUST_X_FORWARDED_PROTO", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": "k7#Qw9!zR2@xL5$mN8^pT3&vB6*yH1(cJ4)fD0_gS9-aE2+uW7=iO5~lP8",
        "ALLOWED_HOSTS": "hoctap.haiphong.edu.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.once
def test_without_secret_key_production_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_responses_carry_a_strict_content_security_policy(client, world):
    policy = client.get(reverse("criteria:catalogue"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "url",
    [
        "/criteria/",
        "/assignments/",
        "/my-work/",
        "/review/",
        "/dashboard/2022/",
        "/dashboard/2022/what-if/",
        "/dashboard/2022/report/",
        "/data/2022/HP/1.1.2/",
        "/data/import/",
    ],
)
def test_pages_have_no_inline_script_or_style(client_for, url):
    html = client_for("standing_office").get(url).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle=\"", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"


def test_frames_and_sniffing_are_refused(client, world):
    response = client.get(reverse("criteria:catalogue"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def login(client, password):
    return client.post(reverse("login"), {"username": "vanphong", "password": password})


def test_five_failed_logins_lock_the_account_with_a_vietnamese_message(client, personas):
    for _ in range(4):
        assert login(client, "wrong-password").status_code == 200
    assert login(client, "wrong-password").status_code == 429  # the fifth failure locks
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert "bị khóa trên máy này trong 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_then_the_right_password_logs_in(client, personas):
    for _ in range(4):
        login(client, "wrong-password")
    assert login(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(personas["division"].pk)


def test_a_wrong_password_gets_a_vietnamese_message(client, personas):
    html = login(client, "wrong-password").content.decode()
    assert "mật khẩu chính xác" in html


def test_a_failed_login_leads_with_the_error_summary_and_marks_both_fields(client, personas):
    """Issue 19.4: the title says «Lỗi:», the summary takes the focus and both fields (which of the
    two was wrong is not said, on purpose) are invalid and point to it."""
    html = login(client, "wrong-password").content.decode()
    assert "<title>Lỗi: " in html
    summary = html[html.index('id="error-summary"') :]
    assert "data-focus-on-load" in summary[:200]
    assert "mật khẩu chính xác" in summary
    for name in ("username", "password"):
        field = html[html.index(f'name="{name}"') : html.index(f'name="{name}"') + 400]
        assert 'aria-invalid="true" aria-describedby="error-summary"' in field
    assert html.count("mật khẩu chính xác") == 1  # said once, in the summary


def test_sessions_end_with_the_browser_and_the_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_password_validators_are_on(settings):
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names
