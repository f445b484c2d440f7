"""Running the portal from its own pages: accounts, unlocking a login, pilot districts, years —
each change in the administration log (issue 15.1)."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from assignments.administration.workbook import read_accounts
from assignments.models import AccountSettings, AuditEntry, Membership, PlanTask, Unit
from assignments.permissions import ADMINISTRATORS_GROUP, STANDING_OFFICE_GROUP
from common.excel import WorkbookError
from criteria.models import EvaluationYear, Round, YearLockedError, ensure_year_open
from measurements.models import Measurement
from tests.common.test_forms import no_such_day
from tests.conftest import PASSWORD, YEAR, _user

pytestmark = pytest.mark.django_db
TEMPORARY = "Tam-thoi-2026!"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin_client(client, world):
    """An administrator as the portal has them: in the group, in no department, no superuser."""
    client.force_login(_user("it.admin", group=ADMINISTRATORS_GROUP))
    return client


def new_account(client, **changes):
    data = {
        "username": "nguyen.van.a",
        "full_name": "Nguyễn Văn A",
        "email": "a@haiphong.edu.vn",
        "department": "",
        "groups": [],
        "password1": TEMPORARY,
        "password2": TEMPORARY,
        **changes,
    }
    return client.post(reverse("administration:account_create"), data)


def test_the_administrator_creates_an_account_with_its_department(admin_client, world):
    response = new_account(admin_client, department=world.office_a.pk)
    user = User.objects.get(username="nguyen.van.a")
    assert response["Location"] == reverse("administration:account", args=[user.pk])
    assert user.first_name == "Nguyễn Văn A"
    assert user.check_password(TEMPORARY)
    assert Membership.objects.get(user=user).department == world.office_a
    assert AccountSettings.objects.get(user=user).must_change_password
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject, entry.user.username) == (
        "account_created",
        "nguyen.van.a (Nguyễn Văn A)",
        "it.admin",
    )
    assert {"field": "department", "old": None, "new": world.office_a.name} in entry.changes
    page = admin_client.get(reverse("administration:account", args=[user.pk])).content.decode()
    assert "Mật khẩu là mật khẩu tạm" in page
    assert "Tạo tài khoản: nguyen.van.a (Nguyễn Văn A)" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password1": "123", "password2": "123"}, "password1", "quá ngắn"),
        ({"password2": "Khac-nhau-2026!"}, "password2", "Hai mật khẩu không khớp."),
        ({"username": "VANPHONG"}, "username", "Đã có tài khoản với tên đăng nhập này."),
        ({"username": "có dấu cách"}, "username", "tên đăng nhập hợp lệ"),
    ],
)
def test_a_bad_account_is_refused_with_its_reason_and_nothing_written(
    admin_client, personas, changes, field, message
):
    users = User.objects.count()
    response = new_account(admin_client, **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "<title>Lỗi: " in response.content.decode()
    assert User.objects.count() == users
    assert not AuditEntry.objects.exists()


def test_a_temporary_password_must_be_changed_before_anything_else(client, admin_client, world):
    new_account(admin_client, department=world.division_dept.pk)
    client.logout()
    client.post(reverse("login"), {"username": "nguyen.van.a", "password": TEMPORARY})
    change = reverse("password_change")
    assert client.get(reverse("measurements:my_work"))["Location"] == change
    assert client.get(reverse("criteria:catalogue"))["Location"] == change
    assert client.get(change).status_code == 200
    response = client.post(
        change,
        {
            "old_password": TEMPORARY,
            "new_password1": "Rieng-toi-2026#",
            "new_password2": "Rieng-toi-2026#",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("measurements:my_work")).status_code == 200
    assert not AccountSettings.objects.get(user__username="nguyen.van.a").must_change_password


def test_the_administrator_sets_a_temporary_password(admin_client, personas):
    division = personas["division"]
    url = reverse("administration:account_password", args=[division.pk])
    refused = admin_client.post(url, {"password1": "abc", "password2": "abc"})
    assert "quá ngắn" in refused.content.decode()
    division.refresh_from_db()
    assert division.check_password(PASSWORD)
    admin_client.post(url, {"password1": TEMPORARY, "password2": TEMPORARY})
    division.refresh_from_db()
    assert division.check_password(TEMPORARY)
    assert AccountSettings.objects.get(user=division).must_change_password
    assert AuditEntry.objects.get().action == "password_set"


def test_a_change_of_department_and_groups_is_logged_field_by_field(admin_client, personas, world):
    division = personas["division"]
    url = reverse("administration:account", args=[division.pk])
    admin_client.post(
        url,
        {
            "full_name": division.first_name,
            "email": "",
            "department": world.office_b.pk,
            "groups": [STANDING_OFFICE_GROUP],
            "is_active": "on",
        },
    )
    assert Membership.objects.get(user=division).department == world.office_b
    assert list(division.groups.values_list("name", flat=True)) == [STANDING_OFFICE_GROUP]
    changes = AuditEntry.objects.get().changes
    assert changes == [
        {"field": "department", "old": world.division_dept.name, "new": world.office_b.name},
        {"field": "groups", "old": None, "new": STANDING_OFFICE_GROUP},
    ]
    log = admin_client.get(reverse("administration:log")).content.decode()
    assert f"Phòng/đơn vị: {world.division_dept.name} → {world.office_b.name}" in log
    assert f"Nhóm: — → {STANDING_OFFICE_GROUP}" in log


def test_an_administrator_cannot_take_away_their_own_access(admin_client):
    me = User.objects.get(username="it.admin")
    response = admin_client.post(
        reverse("administration:account", args=[me.pk]),
        {"full_name": "Quản trị", "email": "", "department": "", "groups": [], "is_active": "on"},
    )
    assert "Không thể tự khóa tài khoản của mình" in response.content.decode()
    assert me.groups.filter(name=ADMINISTRATORS_GROUP).exists()
    assert not AuditEntry.objects.exists()


def test_the_administrator_unlocks_a_locked_out_login(client, admin_client, personas):
    AccessAttempt.objects.create(
        username="vanphong",
        ip_address="10.0.0.9",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now() - timedelta(minutes=1),
    )
    division = personas["division"]
    page = admin_client.get(reverse("administration:account", args=[division.pk]))
    assert "bị khóa do đăng nhập sai quá nhiều lần" in page.content.decode()
    listing = admin_client.get(reverse("administration:accounts")).content.decode()
    assert "Đang bị khóa đến" in listing
    admin_client.post(reverse("administration:account_unlock", args=[division.pk]))
    assert not AccessAttempt.objects.exists()
    assert AuditEntry.objects.get().action == "account_unlocked"


def test_a_rounds_pilot_districts_are_chosen_and_logged(admin_client, world):
    url = reverse("administration:round", args=[YEAR, "district"])
    admin_client.post(url, {"districts": [world.district_b.pk]})
    pilots = Round.objects.get(evaluation_year__year=YEAR, level="district").pilots
    assert list(pilots.all()) == [world.district_b]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject) == ("pilot_changed", "Đợt đánh giá 2022, quận/huyện")
    assert entry.changes == [{"field": world.district_b.name, "old": False, "new": True}]
    log = admin_client.get(reverse("administration:log")).content.decode()
    assert f"{world.district_b.name}: Không → Có" in log


def test_a_rounds_calendar_is_saved_and_logged(admin_client, world):
    url = reverse("administration:round", args=[YEAR, "city"])
    response = admin_client.post(url, {"due_on": "30/11/2022", "committee_on": "20/12/2022"})
    assert response.status_code == 302
    round_ = Round.objects.get(evaluation_year__year=YEAR, level="city")
    assert (round_.due_on, round_.committee_on) == (date(2022, 11, 30), date(2022, 12, 20))
    assert AuditEntry.objects.get().changes == [
        {"field": "hạn nộp số liệu", "old": None, "new": "2022-11-30"},
        {"field": "ngày họp Ban chỉ đạo", "old": None, "new": "2022-12-20"},
    ]


def test_a_locked_years_round_is_not_changed(admin_client, world):
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    url = reverse("administration:round", args=[YEAR, "district"])
    response = admin_client.post(url, {"districts": [world.district_b.pk]})
    assert "Năm 2022 đã khóa: các đợt đánh giá của năm giữ nguyên." in response.content.decode()
    assert not Round.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_calendar_out_of_order_is_refused_and_nothing_is_written(admin_client, world):
    url = reverse("administration:round", args=[YEAR, "district"])
    response = admin_client.post(url, {"due_on": "30/11/2022", "council_on": "15/11/2022"})
    assert response.status_code == 200
    assert "Ngày họp Hội đồng đánh giá đứng trước hạn nộp số liệu." in response.content.decode()
    assert not Round.objects.exists()
    assert not AuditEntry.objects.exists()


def test_locking_asks_first_with_what_it_freezes_then_locks(admin_client, world):
    for status in ("approved", "approved", "submitted"):
        Measurement.objects.create(
            indicator=world.indicator("1.1.2"),
            unit=Unit.objects.create(
                code=f"X{Measurement.objects.count()}", name="X", kind="urban"
            ),
            year=YEAR,
            status=status,
        )
    url = reverse("administration:year_lock", args=[YEAR])
    page = admin_client.get(url).content.decode()
    assert "không ai nhập, sửa, duyệt hay trả lại giá trị" in page
    values = page[
        page.index('id="values-by-status"') : page.index(
            "</table>", page.index('id="values-by-status"')
        )
    ]
    assert '<th scope="row" class="fw-normal">Đã duyệt</th><td class="text-end">2</td>' in values
    assert '<th scope="row" class="fw-normal">Đã gửi</th><td class="text-end">1</td>' in values
    assert EvaluationYear.objects.get(year=YEAR).state == "open"  # asking changes nothing
    admin_client.post(url)
    assert EvaluationYear.objects.get(year=YEAR).state == "locked"
    with pytest.raises(YearLockedError):
        ensure_year_open(YEAR)
    assert AuditEntry.objects.get().action == "year_locked"


def test_a_locked_year_reopens_only_with_a_reason(admin_client, world):
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    url = reverse("administration:year_reopen", args=[YEAR])
    refused = admin_client.post(url, {"reason": "   "})
    assert "<title>Lỗi: " in refused.content.decode()
    assert EvaluationYear.objects.get(year=YEAR).state == "locked"
    assert not AuditEntry.objects.exists()
    admin_client.post(url, {"reason": "Sửa số liệu 2.1.1 theo kết luận của Ban chỉ đạo"})
    assert EvaluationYear.objects.get(year=YEAR).state == "open"
    log = admin_client.get(reverse("administration:log")).content.decode()
    assert "Lý do: Sửa số liệu 2.1.1 theo kết luận của Ban chỉ đạo" in log


def test_a_year_is_opened_once(admin_client, world):
    admin_client.post(reverse("administration:years"), {"year": "2023"})
    assert EvaluationYear.objects.get(year=2023).state == "open"
    again = admin_client.post(reverse("administration:years"), {"year": "2023"})
    assert "Năm 2023 đã có." in again.content.decode()
    assert AuditEntry.objects.filter(action="year_opened").count() == 1


def test_the_standing_office_runs_the_pilot_but_not_the_accounts(client_for):
    client = client_for("standing_office")
    page = client.get(reverse("administration:index")).content.decode()
    assert reverse("administration:years") in page
    assert reverse("administration:accounts") not in page
    refused = client.get(reverse("administration:accounts"))
    assert refused.status_code == 403
    assert "Trang này dành cho người quản trị cổng thông tin." in refused.content.decode()


def test_the_menu_offers_the_administration_to_whom_may_use_it(client, admin_client, client_for):
    link = f'href="{reverse("administration:index")}"'
    assert link in admin_client.get(reverse("administration:log")).content.decode()
    assert link in client_for("standing_office").get(reverse("criteria:catalogue")).content.decode()
    assert link not in client_for("division").get(reverse("criteria:catalogue")).content.decode()


def test_an_administrator_lands_on_the_administration(admin_client):
    assert admin_client.get("/")["Location"] == reverse("administration:index")


def test_the_accounts_page_reads_in_a_fixed_number_of_queries(admin_client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("administration:accounts"))
    few = len(queries)
    for number in range(10):
        _user(f"them{number}", personas["division"].membership.department)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("administration:accounts"))
    assert len(queries) == few <= 12


def test_django_admin_works_for_the_administrators_group(client, world, personas):
    """Before issue 15 the group had no permission: its /admin/ showed nothing. It reads
    accounts, memberships and lockouts there (it changes them on the logged pages, which never
    touch a superuser) and keeps the departments."""
    client.force_login(_user("it.admin", group=ADMINISTRATORS_GROUP, is_staff=True))
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") in index
    assert reverse("admin:assignments_membership_changelist") in index
    assert reverse("admin:axes_accessattempt_changelist") in index
    assert client.get(reverse("admin:assignments_department_add")).status_code == 200
    for refused in (
        "admin:auth_user_add",
        "admin:assignments_membership_add",
        "admin:auth_group_add",
    ):
        assert client.get(reverse(refused)).status_code == 403
    superuser = personas["administrator"]
    change = reverse("admin:auth_user_change", args=[superuser.pk])
    client.post(change, {"username": "quantri", "is_superuser": "on", "is_staff": "on"})
    assert not User.objects.get(username="it.admin").is_superuser


def test_an_account_made_administrator_opens_djangos_admin(admin_client):
    new_account(admin_client, groups=[ADMINISTRATORS_GROUP])
    assert User.objects.get(username="nguyen.van.a").is_staff


@pytest.fixture
def task(world):
    return PlanTask.objects.create(
        number=4, content="Tổ chức Hội nghị sơ kết", due_date=date(2022, 12, 31)
    )


def test_a_plan_task_is_marked_done_with_its_date_and_proof(client_for, task):
    client = client_for("standing_office")
    url = reverse("administration:task", args=[4])
    client.post(url, {"done": "", "completed_on": "30/12/2022", "proof": "Biên bản số 7/BB-BCĐ"})
    task.refresh_from_db()
    assert (task.completed_on, task.completion_proof) == (
        date(2022, 12, 30),
        "Biên bản số 7/BB-BCĐ",
    )
    assert not task.is_overdue(date(2023, 1, 15))
    log = client.get(reverse("administration:log")).content.decode()
    assert "Ngày hoàn thành: — → 30/12/2022" in log
    assert "Minh chứng hoàn thành: — → Biên bản số 7/BB-BCĐ" in log


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"completed_on": "30/12/2022", "proof": "  "}, "Hãy ghi báo cáo hoặc biên bản chứng minh"),
        (
            {"completed_on": "31/02/2022", "proof": "Biên bản"},
            no_such_day("31/02/2022", "02", 2022, 28),
        ),
        (
            {"completed_on": "01/01/2099", "proof": "Biên bản"},
            "Ngày hoàn thành không thể là một ngày sau hôm nay.",
        ),
    ],
)
def test_a_task_is_not_done_without_a_proof_or_on_a_bad_date(client_for, task, data, message):
    response = client_for("standing_office").post(
        reverse("administration:task", args=[4]), {"done": "", **data}
    )
    assert message in response.content.decode()
    task.refresh_from_db()
    assert task.completed_on is None
    assert not AuditEntry.objects.exists()


def test_a_done_task_reopens_with_a_reason(client_for, task):
    task.completed_on, task.completion_proof = date(2022, 12, 30), "Biên bản số 7"
    task.save()
    client = client_for("standing_office")
    url = reverse("administration:task", args=[4])
    refused = client.post(url, {"reopen": "", "reason": " "}).content.decode()
    assert "Hãy ghi lý do mở lại nhiệm vụ." in refused
    assert not AuditEntry.objects.exists()
    client.post(url, {"reopen": "", "reason": "Ghi nhầm nhiệm vụ"})
    task.refresh_from_db()
    assert (task.completed_on, task.completion_proof) == (None, "")
    assert AuditEntry.objects.get().reason == "Ghi nhầm nhiệm vụ"


def test_an_administrator_cannot_touch_a_superusers_account(admin_client, personas):
    """A temporary password set on a superuser would make its setter superuser."""
    superuser = personas["administrator"]
    for url in (
        reverse("administration:account", args=[superuser.pk]),
        reverse("administration:account_password", args=[superuser.pk]),
    ):
        response = admin_client.post(url, {"password1": TEMPORARY, "password2": TEMPORARY})
        assert response.status_code == 403
        assert "Chỉ tài khoản quản trị cao nhất" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert not AuditEntry.objects.exists()


def test_a_username_that_folds_into_a_taken_one_is_refused(admin_client, personas):
    response = new_account(admin_client, username="ｖａｎｐｈｏｎｇ")  # full-width letters
    assert "Đã có tài khoản với tên đăng nhập này." in response.content.decode()
    assert User.objects.filter(username__iexact="vanphong").count() == 1


def test_the_new_password_must_differ_from_the_temporary_one(client, admin_client, world):
    new_account(admin_client)
    client.logout()
    client.post(reverse("login"), {"username": "nguyen.van.a", "password": TEMPORARY})
    response = client.post(
        reverse("password_change"),
        {"old_password": TEMPORARY, "new_password1": TEMPORARY, "new_password2": TEMPORARY},
    )
    assert "Hãy chọn mật khẩu khác mật khẩu hiện tại." in response.content.decode()
    assert AccountSettings.objects.get(user__username="nguyen.van.a").must_change_password


def test_a_superuser_cannot_deactivate_their_own_account(client, personas):
    superuser = personas["administrator"]
    client.force_login(superuser)
    response = client.post(
        reverse("administration:account", args=[superuser.pk]),
        {"full_name": "Quản trị", "email": "", "department": "", "groups": []},
    )
    assert "Không thể tự khóa tài khoản của mình" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.is_active


@pytest.mark.parametrize("year", ["abc", "1999", "2101"])
def test_a_year_that_is_not_a_year_is_refused(admin_client, world, year):
    response = admin_client.post(reverse("administration:years"), {"year": year})
    assert "<title>Lỗi: " in response.content.decode()
    assert list(EvaluationYear.objects.values_list("year", flat=True)) == [YEAR]
    assert not AuditEntry.objects.exists()


def test_locking_a_locked_year_changes_and_logs_nothing(admin_client, world):
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    response = admin_client.post(reverse("administration:year_lock", args=[YEAR]), follow=True)
    assert f"Năm {YEAR} đã khóa." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_temporary_password_holds_every_page_but_logout_and_language(client, admin_client):
    new_account(admin_client)
    client.logout()
    client.post(reverse("login"), {"username": "nguyen.van.a", "password": TEMPORARY})
    change = reverse("password_change")
    assert client.get(reverse("admin:index"))["Location"] == change
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("set_language"), {"language": "en"})["Location"] != change
    assert client.post(reverse("logout"))["Location"] != change


def accounts_list(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tài khoản"
    sheet.append(["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã phòng/đơn vị", "Nhóm"])
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload_accounts(client, content: bytes):
    return client.post(
        reverse("administration:accounts_import"),
        {"file": SimpleUploadedFile("tai-khoan.xlsx", content, XLSX)},
    )


def test_accounts_are_made_from_an_excel_list_each_with_its_password(admin_client, world):
    response = upload_accounts(
        admin_client,
        accounts_list(
            ("pgd.a2", "Lê Văn C", "c@haiphong.edu.vn", "PGD-A", None),
            ("thuongtruc2", "Phạm Thị D", None, "GDTX", STANDING_OFFICE_GROUP),
        ),
    )
    created = response.context["created"]
    assert [user.username for user, _ in created] == ["pgd.a2", "thuongtruc2"]
    for user, password in created:
        assert user.check_password(password)
        assert password in response.content.decode()
    assert Membership.objects.get(user__username="pgd.a2").department == world.office_a
    standing = User.objects.get(username="thuongtruc2")
    assert list(standing.groups.values_list("name", flat=True)) == [STANDING_OFFICE_GROUP]
    assert AccountSettings.objects.filter(must_change_password=True).count() == 2
    assert AuditEntry.objects.filter(action="account_created").count() == 2


def test_a_list_with_a_wrong_row_makes_no_account_and_names_every_problem(admin_client, personas):
    users = User.objects.count()
    response = upload_accounts(
        admin_client,
        accounts_list(
            ("moi.mot", "Người Một", None, "PGD-A", None),
            ("VanPhong", "Trùng tên", None, None, None),
            ("moi.mot", "Lặp lại", "khong-phai-thu", "XYZ", "Nhóm lạ"),
            ("moi.ba", None, None, None, None),
        ),
    )
    html = response.content.decode()
    assert "<title>Lỗi: " in html
    for problem in (
        "Dòng 3: tên đăng nhập VanPhong đã có người dùng.",
        "Dòng 4: tên đăng nhập moi.mot đã có ở dòng 2.",
        "Dòng 4: «khong-phai-thu» không phải là địa chỉ thư điện tử.",
        "Dòng 4: không có phòng/đơn vị mã «XYZ».",
        "Dòng 4: không có nhóm «Nhóm lạ».",
        "Dòng 5: thiếu họ và tên.",
    ):
        assert problem in html
    assert User.objects.count() == users
    assert not AuditEntry.objects.exists()


def test_the_problems_of_an_accounts_list_are_said_in_the_readers_language(personas):
    data = accounts_list(("moi.ba", None, None, "XYZ", None))

    with translation.override("en"), pytest.raises(WorkbookError) as error:
        read_accounts(data)
    assert error.value.messages == [
        "Row 2: the full name is missing.",
        "Row 2: there is no department with the code «XYZ».",
    ]
    with translation.override("vi"), pytest.raises(WorkbookError) as error:
        read_accounts(data)
    assert error.value.messages == [
        "Dòng 2: thiếu họ và tên.",
        "Dòng 2: không có phòng/đơn vị mã «XYZ».",
    ]


def test_the_accounts_template_lists_the_department_codes(admin_client, world):
    response = admin_client.get(reverse("administration:accounts_template"))
    book = load_workbook(BytesIO(response.content))
    assert [cell.value for cell in book["Tài khoản"][1]] == [
        "Tên đăng nhập",
        "Họ và tên",
        "Thư điện tử",
        "Mã phòng/đơn vị",
        "Nhóm",
    ]
    codes = [row[0] for row in book["Mã"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(codes) == ["CCTT", "GDTX", "PGD-A", "PGD-B", "VP"]


def test_a_list_over_two_megabytes_is_refused_before_it_is_read(admin_client, personas):
    users = User.objects.count()
    response = upload_accounts(admin_client, b"PK" + b"0" * (2 * 1024 * 1024))
    assert "Tệp lớn hơn 2 MB; danh sách tài khoản nhỏ hơn nhiều." in response.content.decode()
    assert User.objects.count() == users


def test_the_lock_page_of_a_locked_year_says_so_instead_of_asking(admin_client, world):
    EvaluationYear.objects.filter(year=YEAR).update(state="locked")
    response = admin_client.get(reverse("administration:year_lock", args=[YEAR]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("administration:years"), 302)]
    assert f"Năm {YEAR} đã khóa." in page
    assert 'id="values-by-status"' not in page


def test_groups_are_named_in_the_pages_language_with_the_name_the_workbook_takes(
    admin_client, personas, settings
):
    personas["standing_office"].groups.get(name="Cơ quan thường trực")  # the persona's group
    page = admin_client.get(reverse("administration:accounts")).content.decode()
    assert "<td>Cơ quan thường trực</td>" in page
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin_client.get(reverse("administration:accounts")).content.decode()
    assert '<td>Standing office (<span lang="vi">Cơ quan thường trực</span>)</td>' in page
    form = admin_client.get(reverse("administration:account_create")).content.decode()
    assert 'Steering committee (<span lang="vi">Ban chỉ đạo</span>)' in form
