"""The administrator runs the portal from its own pages, in headless Chromium (issue 15.1): an
account with its department, a pilot district, a locked year, a login unlocked — then the log."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.utils import timezone

from assignments.models import AuditEntry, Membership
from assignments.permissions import ADMINISTRATORS_GROUP, GROUPS
from criteria.models import EvaluationYear, Round
from tests.conftest import PASSWORD, YEAR, _user

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]
TEMPORARY = "Tam-thoi-2026!"


@pytest.fixture
def administrator(world, personas):
    for name in GROUPS:  # made by a migration, flushed by the transactional tests before this
        Group.objects.get_or_create(name=name)
    return _user("it.admin", group=ADMINISTRATORS_GROUP, is_staff=True)


def test_the_administrator_runs_the_portal_from_its_pages(
    page, log_in, live_server, world, personas, administrator
):
    log_in("it.admin", PASSWORD)
    assert page.url == f"{live_server.url}/administration/"

    # An account, with its department and a temporary password.
    page.click("nav[aria-label='Quản trị'] >> text=Tài khoản")
    page.click("a:has-text('Tạo tài khoản')")
    page.fill("input[name=username]", "tran.thi.b")
    page.fill("input[name=full_name]", "Trần Thị B")
    page.fill("input[name=email]", "b@haiphong.edu.vn")
    page.select_option("select[name=department]", str(world.office_a.pk))
    page.fill("input[name=password1]", TEMPORARY)
    page.fill("input[name=password2]", TEMPORARY)
    page.click("button:has-text('Lưu tài khoản mới')")
    assert "Đã tạo tài khoản tran.thi.b" in page.inner_text(".alert-success")
    account = User.objects.get(username="tran.thi.b")
    assert Membership.objects.get(user=account).department == world.office_a

    # The districts' round: its deadline and a pilot district.
    page.click("nav[aria-label='Quản trị'] >> text=Năm đánh giá")
    page.click(f"#years a[href='/administration/years/{YEAR}/rounds/district/']")
    page.fill("input[name=due_on]", "25/11/2022")
    page.check(f"input[name=districts][value='{world.district_b.pk}']")
    page.click("button:has-text('Lưu đợt đánh giá')")
    assert "Đã lưu đợt đánh giá." in page.inner_text(".alert-success")
    pilots = Round.objects.get(evaluation_year__year=YEAR, level="district").pilots
    assert list(pilots.all()) == [world.district_b]

    # The year, locked after the page said what a lock freezes.
    page.click(f"a:has-text('Khóa năm {YEAR}')")
    assert "không ai nhập, sửa, duyệt hay trả lại giá trị" in page.inner_text(
        "#what-a-lock-freezes"
    )
    assert EvaluationYear.objects.get(year=YEAR).state == "open"
    page.click(f"button:has-text('Khóa năm {YEAR}')")
    assert f"Đã khóa năm {YEAR}." in page.inner_text(".alert-success")
    assert EvaluationYear.objects.get(year=YEAR).state == "locked"

    # A login locked out after five failures, unlocked.
    AccessAttempt.objects.create(
        username="vanphong",
        ip_address="10.0.0.9",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now() - timedelta(minutes=1),
    )
    page.click("nav[aria-label='Quản trị'] >> text=Tài khoản")
    assert "Đang bị khóa đến" in page.inner_text("#accounts tr:has-text('vanphong')")
    page.click("#accounts a:has-text('vanphong')")
    page.click("button:has-text('Mở khóa đăng nhập ngay')")
    assert "vanphong có thể đăng nhập lại." in page.inner_text(".alert-success")
    assert not AccessAttempt.objects.exists()

    # Every change is in the log, newest first.
    page.click("nav[aria-label='Quản trị'] >> text=Nhật ký quản trị")
    actions = [entry.action for entry in AuditEntry.objects.all()]
    assert actions == [
        "account_unlocked",
        "year_locked",
        "pilot_changed",
        "round_changed",
        "account_created",
    ]
    log = page.inner_text("main table")
    for line in (
        "Mở khóa đăng nhập: vanphong",
        f"Khóa năm: {YEAR}",
        f"{world.district_b.name}: Không → Có",
        "Tạo tài khoản: tran.thi.b (Trần Thị B)",
    ):
        assert line in log

    # The unlocked person logs in again.
    log_in("vanphong", PASSWORD)
    assert page.url.endswith("/my-work/")
