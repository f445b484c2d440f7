"""Many accounts at once from an Excel list (sheet «Tài khoản»): read with every guard of
common.excel, checked row by row — all or nothing, each problem with its row number — and the
template to fill in."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.excel import WorkbookError, read_table, set_text

from ..models import Department
from ..permissions import GROUPS

SHEET = "Tài khoản"
CODES_SHEET = "Mã"
USERNAME = "Tên đăng nhập"
FULL_NAME = "Họ và tên"
EMAIL = "Thư điện tử"
DEPARTMENT = "Mã phòng/đơn vị"
DEPARTMENT_NAME = "Phòng/đơn vị"
GROUPS_COLUMN = "Nhóm"
COLUMNS = (USERNAME, FULL_NAME, EMAIL, DEPARTMENT, GROUPS_COLUMN)
MAX_ACCOUNTS = 500


@dataclass(frozen=True)
class NewAccount:
    """One row of the list, checked."""

    row: int
    username: str
    full_name: str
    email: str = ""
    department: Department | None = None
    groups: tuple[str, ...] = field(default_factory=tuple)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_accounts(data: bytes) -> list[NewAccount]:
    """The accounts of an uploaded list; WorkbookError listing every problem otherwise (an
    unknown department code, a username taken or given twice, a bad e-mail, …)."""
    rows = read_table(data, SHEET, (USERNAME, FULL_NAME), optional=COLUMNS[2:])
    if not rows:
        raise WorkbookError([_("The list has no account.")])
    if len(rows) > MAX_ACCOUNTS:
        raise WorkbookError(
            [_("The list has more than %(count)s accounts.") % {"count": MAX_ACCOUNTS}]
        )
    departments = {
        department.code.casefold(): department for department in Department.objects.all()
    }
    taken = {name.casefold() for name in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    accounts, problems = [], []
    for row in rows:
        found = _problems_of(row, departments, taken, seen)
        if isinstance(found, list):
            problems += found
        else:
            accounts.append(found)
    if problems:
        raise WorkbookError(problems)
    return accounts


def _problems_of(row, departments, taken, seen) -> NewAccount | list[str]:
    """One row as an account, or what is wrong with it (each message names the row)."""
    number, problems = row.number, []

    def problem(message: str, **params: object) -> None:
        problems.append(
            _("Row %(row)s: %(problem)s") % {"row": number, "problem": message % params}
        )

    username = User.normalize_username(_text(row.get(USERNAME)))
    full_name = _text(row.get(FULL_NAME))
    email = _text(row.get(EMAIL))
    code = _text(row.get(DEPARTMENT))
    groups = tuple(
        name.strip() for name in _text(row.get(GROUPS_COLUMN)).split(";") if name.strip()
    )
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        problem(
            _("«%(username)s» is not a username (letters, digits and . @ + - _ only)."),
            username=username,
        )
    if username.casefold() in taken:
        problem(_("the username %(username)s is taken."), username=username)
    elif username.casefold() in seen:
        problem(
            _("the username %(username)s is already on row %(first)s."),
            username=username,
            first=seen[username.casefold()],
        )
    seen.setdefault(username.casefold(), number)
    if not full_name:
        problem(_("the full name is missing."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem(_("«%(email)s» is not an e-mail address."), email=email)
    department = departments.get(code.casefold()) if code else None
    if code and department is None:
        problem(_("there is no department with the code «%(code)s»."), code=code)
    for name in groups:
        if name not in GROUPS:
            problem(_("there is no group «%(group)s»."), group=name)
    if problems:
        return problems
    return NewAccount(number, username, full_name, email, department, groups)


def build_template(departments: Iterable[Department]) -> bytes:
    """The list to fill in: the «Tài khoản» sheet with its header, and a sheet «Mã» naming every
    department's code and the groups."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for column, name in enumerate(COLUMNS, start=1):
        set_text(sheet.cell(1, column), name)
        sheet.cell(1, column).font = Font(bold=True)
    for letter, width in zip("ABCDE", (22, 32, 30, 22, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    codes = book.create_sheet(CODES_SHEET)
    set_text(codes.cell(1, 1), DEPARTMENT)
    set_text(codes.cell(1, 2), DEPARTMENT_NAME)
    for row, department in enumerate(departments, start=2):
        set_text(codes.cell(row, 1), department.code)
        set_text(codes.cell(row, 2), department.name)
    set_text(codes.cell(1, 4), GROUPS_COLUMN)
    for row, name in enumerate(GROUPS, start=2):
        set_text(codes.cell(row, 4), name)
    codes.column_dimensions["A"].width = 22
    codes.column_dimensions["B"].width = 50
    codes.column_dimensions["D"].width = 26
    out = BytesIO()
    book.save(out)
    return out.getvalue()
