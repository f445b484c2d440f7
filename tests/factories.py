"""Small builders for test data: each makes the rows a test needs and nothing more."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from assignments.models import Assignment, Department, Role, Unit
from criteria.models import CriteriaSet, Criterion, EvaluationYear, Indicator, Round, Standard
from evaluation.models import Meeting


def make_criteria_set(code: str = "test-set", level: str = "city", **fields: object) -> CriteriaSet:
    return CriteriaSet.objects.create(code=code, name=f"Bộ tiêu chí {code}", level=level, **fields)


def make_standard(criteria_set: CriteriaSet, code: str = "1") -> Standard:
    return Standard.objects.create(
        criteria_set=criteria_set, code=code, name=f"Tiêu chuẩn {code}", position=int(code)
    )


def make_criterion(standard: Standard, code: str | None = None) -> Criterion:
    code = code or f"{standard.code}.1"
    return Criterion.objects.create(
        standard=standard, code=code, name=f"Tiêu chí {code}", position=int(code.split(".")[-1])
    )


def make_indicator(
    criterion: Criterion,
    code: str | None = None,
    kind: str = "share_at_least",
    threshold: str | None = "70",
    **fields: object,
) -> Indicator:
    code = code or f"{criterion.code}.1"
    return Indicator.objects.create(
        criterion=criterion,
        code=code,
        text=fields.pop("text", f"Chỉ báo {code}"),
        kind=kind,
        threshold=Decimal(threshold) if threshold is not None else None,
        position=int(code.split(".")[-1]),
        **fields,
    )


def make_unit(code: str = "HP", kind: str = "city", parent: Unit | None = None) -> Unit:
    return Unit.objects.create(code=code, name=f"Đơn vị {code}", kind=kind, parent=parent)


def make_department(
    code: str = "DIV", kind: str = "division", unit: Unit | None = None
) -> Department:
    return Department.objects.create(code=code, name=f"Phòng {code}", kind=kind, unit=unit)


def assign(indicator: Indicator, department: Department, role: str = Role.LEAD) -> Assignment:
    return Assignment.objects.create(indicator=indicator, department=department, role=role)


def make_catalogue(indicators_per_criterion: int = 2, criteria_set: CriteriaSet | None = None):
    """A city set of 3 standards × 2 criteria × n indicators, each led by one division."""
    criteria_set = criteria_set or make_criteria_set()
    department = make_department(code=f"DIV-{criteria_set.code}")
    for s in range(1, 4):
        standard = make_standard(criteria_set, str(s))
        for c in range(1, 3):
            criterion = make_criterion(standard, f"{s}.{c}")
            for i in range(1, indicators_per_criterion + 1):
                assign(make_indicator(criterion, f"{s}.{c}.{i}"), department)
    return criteria_set


def make_meeting(
    year: int, recorded_by: User, held_on: date | None = None, kind: str = Meeting.Kind.COMMITTEE
) -> Meeting:
    """A meeting of the year that was held (the committee's, on 20 December, unless told)."""
    return Meeting.objects.create(
        year=year, kind=kind, held_on=held_on or date(year, 12, 20), recorded_by=recorded_by
    )


def make_pilots(year: int, units) -> Round:
    """The year's districts' round (created if need be) naming exactly `units` as its pilots."""
    round_, _ = Round.objects.get_or_create(
        evaluation_year=EvaluationYear.objects.get_or_create(year=year)[0], level="district"
    )
    round_.pilots.set(units)
    return round_
