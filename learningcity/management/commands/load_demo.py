"""Demo accounts and sample values for `make run`. Never on a production server (DEBUG off)."""

import os
import secrets
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from assignments.models import Department, Membership, Unit
from assignments.permissions import (
    ADMINISTRATORS_GROUP,
    STANDING_OFFICE_GROUP,
    STEERING_COMMITTEE_GROUP,
    actor_for,
)
from assignments.selectors import city, districts
from assignments.services import criteria_set_adopt
from criteria.importing import criteria_set_plan_from_bytes
from criteria.models import CriteriaSet, EvaluationYear, Indicator
from criteria.selectors import default_criteria_set
from evaluation.services import decision_record
from measurements import lists, services
from measurements.models import Measurement
from measurements.services import MeasurementData

# username, full name, department code (None: no department), group
ACCOUNTS = [
    ("thuongtruc", "Nguyễn Thị Thu (Cơ quan thường trực)", "GDTX-CN-DH", STANDING_OFFICE_GROUP),
    ("vanphong", "Trần Văn Minh (Văn phòng Sở)", "VP", None),
    ("cctt", "Lê Thị Hoa (Phòng CCTT)", "CCTT", None),
    ("pgd.hongbang", "Phạm Văn Nam (Phòng GD&ĐT Hồng Bàng)", "PGD-HB", None),
    ("pgd.ngoquyen", "Vũ Thị Lan (Phòng GD&ĐT Ngô Quyền)", "PGD-NQ", None),
    ("bcd", "Hoàng Văn Đức (Ban chỉ đạo)", None, STEERING_COMMITTEE_GROUP),
    ("quantri", "Đỗ Minh Quân (Quản trị hệ thống)", None, ADMINISTRATORS_GROUP),
]

D = Decimal
# (indicator, unit, data, final status, who enters it). 2021 is last year, approved then locked.
VALUES_2021 = [
    ("3.1.1", "HP", MeasurementData(value=D(277000), previous=D(245000)), "approved"),
    ("3.1.2", "HP", MeasurementData(value=D("3.3"), previous=D("4.9")), "approved"),
    ("3.1.3", "HP", MeasurementData(value=D(45), previous=D(40)), "approved"),
    ("3.1.4", "HP", MeasurementData(value=D("64.2")), "approved"),
    ("3.2.3", "HP", MeasurementData(numerator=120, denominator=205000), "approved"),
]
RETURN_COMMENT = "Đề nghị bổ sung số liệu của Sở Nội vụ (kèm văn bản) trước ngày 10/12."
VALUES_2022 = [
    ("1.1.1", "HP", MeasurementData(yes=True, note="Nghị quyết HĐND thành phố"), "approved"),
    ("1.1.2", "HP", MeasurementData(yes=True), "approved"),
    ("1.2.1", "HP", MeasurementData(yes=True), "submitted"),
    ("1.2.2", "HP", MeasurementData(yes=True), "approved"),
    ("1.2.3", "HP", MeasurementData(yes=True), "approved"),
    ("2.1.2", "HP", MeasurementData(numerator=11, denominator=15), "approved"),
    ("2.2.1", "HP", MeasurementData(value=D("72.5")), "submitted"),
    ("2.2.2", "HP", MeasurementData(numerator=60, denominator=80), "draft"),
    ("2.2.3", "HP", MeasurementData(numerator=2, denominator=3), "approved"),
    ("3.1.1", "HP", MeasurementData(value=D(305000)), "approved"),
    ("3.1.2", "HP", MeasurementData(value=D("1.8")), "approved"),
    ("3.1.3", "HP", MeasurementData(value=D(52)), "approved"),
    ("3.1.4", "HP", MeasurementData(value=D("66.5")), "approved"),
    ("3.1.5", "HP", MeasurementData(value=D(92)), "approved"),
    ("3.2.1", "HP", MeasurementData(yes=True), "approved"),
    ("3.2.2", "HP", MeasurementData(yes=True), "approved"),
    ("3.2.3", "HP", MeasurementData(numerator=95, denominator=210000), "approved"),
    ("3.2.4", "HP", MeasurementData(value=D(48)), "returned"),
]
# 2.1.1 is counted from the agencies' learning-unit scores (Khá from 70), 2.2.4 from a yes/no
# per district (free wifi): both lists are entered on their list pages.
AGENCY_SCORES = [
    ("Sở Giáo dục và Đào tạo", "92"),
    ("Sở Nội vụ", "86,5"),
    ("Sở Tư pháp", "78"),
    ("Sở Tài chính", "81"),
    ("Sở Y tế", "74,5"),
    ("Sở Văn hoá và Thể thao", "88"),
    ("Sở Lao động - Thương binh và Xã hội", "69,5"),
    ("Sở Thông tin và Truyền thông", "90"),
    ("Sở Khoa học và Công nghệ", "83"),
    ("Sở Tài nguyên và Môi trường", "65"),
    ("Sở Kế hoạch và Đầu tư", "76"),
    ("Sở Xây dựng", "71"),
]
NO_FREE_WIFI = ("HP-BLV", "HP-CH")
# Districts evaluate themselves against the example district set (mẫu minh hoạ) from 2022.
DISTRICT_VALUES_2022 = [
    ("1.1.1", "HP-HB", MeasurementData(yes=True), "approved"),
    ("1.1.2", "HP-HB", MeasurementData(yes=True), "approved"),
    ("1.2.1", "HP-HB", MeasurementData(yes=True), "submitted"),
    ("1.2.2", "HP-HB", MeasurementData(numerator=9, denominator=11), "approved"),
    ("2.1.1", "HP-HB", MeasurementData(numerator=8, denominator=11), "submitted"),
    ("3.2.1", "HP-HB", MeasurementData(numerator=12, denominator=25000), "draft"),
    ("1.1.1", "HP-NQ", MeasurementData(yes=True), "approved"),
    ("3.2.1", "HP-NQ", MeasurementData(numerator=14, denominator=20000), "submitted"),
]
DISTRICT_SET = (
    Path(settings.BASE_DIR) / "fixtures/criteria/bo-tieu-chi-quan-huyen-mau-minh-hoa.xlsx"
)
# The committee's December decisions on the districts: 11 of 15 recognised (2.1.2 counts them).
NOT_RECOGNISED = ("HP-DK", "HP-KT", "HP-CH", "HP-BLV")


class Command(BaseCommand):
    help = (
        "Create one demo account per role and sample 2021/2022 values (development only). "
        "The password comes from DEMO_PASSWORD, or is generated and printed."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo chỉ chạy khi DEBUG bật (máy phát triển); "
                "không bao giờ nạp tài khoản mẫu lên máy chủ thật."
            )
        if default_criteria_set() is None:
            call_command("load_catalogue", verbosity=0)
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
        with transaction.atomic():
            users = {
                username: self._account(username, *rest, password) for username, *rest in ACCOUNTS
            }
            created = self._values(users["thuongtruc"])
        self._print_accounts(password, created)

    def _account(
        self,
        username: str,
        full_name: str,
        department: str | None,
        group: str | None,
        password: str,
    ) -> User:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_staff = group == ADMINISTRATORS_GROUP
        user.set_password(password)
        user.save()
        if department:
            Membership.objects.update_or_create(
                user=user, defaults={"department": Department.objects.get(code=department)}
            )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    def _values(self, reviewer: User) -> bool:
        """Sample values, once: a database that has any entry is left as it is."""
        if Measurement.objects.exists():
            return False
        criteria_set = default_criteria_set()
        EvaluationYear.objects.get_or_create(year=2021, defaults={"state": "open"})
        EvaluationYear.objects.get_or_create(year=2022, defaults={"state": "open"})
        self._enter(criteria_set, 2021, VALUES_2021, reviewer)
        EvaluationYear.objects.filter(year=2021).update(state=EvaluationYear.State.LOCKED)
        self._enter(criteria_set, 2022, VALUES_2022, reviewer)
        self._lists(criteria_set, reviewer)
        district_set = self._district_set()
        self._enter(district_set, 2022, DISTRICT_VALUES_2022, reviewer)
        self._decide(reviewer)
        return True

    def _lists(self, criteria_set: CriteriaSet, reviewer: User) -> None:
        actor, city_unit = actor_for(reviewer), city()
        indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
        agencies = [
            lists.ItemData(name, score=D(score.replace(",", "."))) for name, score in AGENCY_SCORES
        ]
        flags = [
            lists.ItemData(d.name, flag=d.code not in NO_FREE_WIFI, district=d) for d in districts()
        ]
        for code, items in (("2.1.1", agencies), ("2.2.4", flags)):
            measurement = lists.list_save(
                actor=actor,
                user=reviewer,
                indicator=indicators.get(code=code),
                unit=city_unit,
                year=2022,
                items=items,
                expected_version=None,
            )
            if code == "2.1.1":
                services.measurement_approve(
                    actor=actor,
                    user=reviewer,
                    measurement=measurement,
                    seen_version=measurement.version,
                )

    def _district_set(self) -> CriteriaSet:
        """The example district set (clearly marked "mẫu minh hoạ"), imported like any other."""
        existing = CriteriaSet.objects.filter(level=CriteriaSet.Level.DISTRICT).first()
        if existing:
            return existing
        return criteria_set_adopt(plan=criteria_set_plan_from_bytes(DISTRICT_SET.read_bytes()))

    def _decide(self, member: User) -> None:
        for district in districts():
            decision_record(
                actor=actor_for(member),
                unit=district,
                year=2022,
                user=member,
                data={
                    "meeting_date": date(2022, 12, 20),
                    "decision": "not_recognized"
                    if district.code in NOT_RECOGNISED
                    else "recognized",
                    "number": "45/QĐ-BCĐ",
                    "note": "",
                },
            )

    def _enter(self, criteria_set: CriteriaSet, year: int, rows: list, reviewer: User) -> None:
        actor = actor_for(reviewer)
        units = {unit.code: unit for unit in Unit.objects.all()}
        indicators = {
            i.code: i
            for i in Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
        }
        for code, unit_code, data, status in rows:
            common = {"actor": actor, "user": reviewer}
            measurement = services.measurement_save(
                **common,
                indicator=indicators[code],
                unit=units[unit_code],
                year=year,
                data=data,
                expected_version=None,
                submit=status != "draft",
            )
            if status == "approved":
                services.measurement_approve(
                    **common, measurement=measurement, seen_version=measurement.version
                )
            elif status == "returned":
                services.measurement_return(
                    **common,
                    measurement=measurement,
                    comment=RETURN_COMMENT,
                    seen_version=measurement.version,
                )

    def _print_accounts(self, password: str, created: bool) -> None:
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu chung: {password})"))
        for username, full_name, *_ in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {full_name}")
        if created:
            self.stdout.write(
                "Đã nạp số liệu mẫu năm 2021 (đã khóa) và 2022 (đang mở), bộ tiêu chí quận/huyện "
                "mẫu minh hoạ và quyết định của Ban chỉ đạo cho 15 quận/huyện."
            )
        else:
            self.stdout.write("Cơ sở dữ liệu đã có số liệu: giữ nguyên, không nạp số liệu mẫu.")
