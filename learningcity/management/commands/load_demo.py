"""Demo accounts and sample values for `make run`. Never on a production server (DEBUG off)."""

import os
import secrets
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from assignments.administration.services import round_save
from assignments.models import Department, Membership, PlanTask, Unit
from assignments.permissions import (
    ADMINISTRATORS_GROUP,
    STANDING_OFFICE_GROUP,
    STEERING_COMMITTEE_GROUP,
    actor_for,
)
from assignments.selectors import city, subdivisions
from assignments.services import criteria_set_adopt
from criteria.importing import criteria_set_plan_from_bytes
from criteria.models import CriteriaSet, EvaluationYear, Indicator
from criteria.selectors import default_criteria_set
from evaluation.models import Meeting
from evaluation.services import decision_record, meeting_record
from evidence.services import DocumentMetadata, document_upload
from measurements import lists, services
from measurements.models import Measurement
from measurements.services import MeasurementData, PartFigures

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
    (
        "3.1.1",
        "HP",
        MeasurementData(
            value=D(277000),
            previous=D(245000),
            previous_source="Niên giám thống kê thành phố năm 2020 (số liệu mẫu)",
        ),
        "approved",
    ),
    (
        "3.1.2",
        "HP",
        MeasurementData(
            value=D("3.3"),
            previous=D("4.9"),
            previous_source="Báo cáo rà soát hộ nghèo cuối năm 2020 (số liệu mẫu)",
        ),
        "approved",
    ),
    ("3.1.3", "HP", MeasurementData(value=D(45), previous=D(40)), "approved"),
    ("3.1.4", "HP", MeasurementData(value=D("64.2")), "approved"),
]
POVERTY_2016_2020 = "chuẩn nghèo đa chiều giai đoạn 2016–2020 (Quyết định 59/2015/QĐ-TTg)"
RETURN_COMMENT = "Đề nghị bổ sung số liệu của Sở Nội vụ (kèm văn bản) trước ngày 10/12."
VALUES_2022 = [
    ("1.1.1", "HP", MeasurementData(yes=True, note="Nghị quyết HĐND thành phố"), "approved"),
    ("1.1.2", "HP", MeasurementData(yes=True), "approved"),
    ("1.2.1", "HP", MeasurementData(yes=True), "submitted"),
    ("1.2.2", "HP", MeasurementData(yes=True), "approved"),
    ("1.2.3", "HP", MeasurementData(yes=True), "approved"),
    ("2.2.1", "HP", MeasurementData(value=D("72.5")), "submitted"),
    ("2.2.2", "HP", MeasurementData(numerator=60, denominator=80), "draft"),
    ("2.2.3", "HP", MeasurementData(numerator=2, denominator=3), "approved"),
    ("3.1.1", "HP", MeasurementData(value=D(305000)), "approved"),
    (
        "3.1.2",
        "HP",
        MeasurementData(
            value=D("1.8"),
            previous=D("3.5"),
            previous_source=(
                "Báo cáo kết quả rà soát hộ nghèo cuối năm 2021 theo chuẩn nghèo giai đoạn "
                "2022–2025 (số liệu mẫu)"
            ),
        ),
        "approved",
    ),
    ("3.1.3", "HP", MeasurementData(value=D(52)), "approved"),
    ("3.1.4", "HP", MeasurementData(value=D("66.5")), "approved"),
    (
        "3.1.5",
        "HP",
        MeasurementData(parts={"a": PartFigures(value=D(92)), "b": PartFigures(value=D(91))}),
        "approved",
    ),
    ("3.2.1", "HP", MeasurementData(yes=True), "approved"),
    ("3.2.2", "HP", MeasurementData(yes=True), "approved"),
    ("3.2.4", "HP", MeasurementData(value=D(48)), "returned"),
]
# 3.2.3 is the sum of the lines its reporting departments enter (pupils affected / pupils): in
# 2021 the compiler (CCTT) entered the city's total; in 2022 four reporters are approved
# (9 + 12 + 40 + 4 = 65 of 30.000 + 28.000 + 95.000 + 12.000 = 165.000 pupils: 0,0394 % < 0,05 %),
# the centres' line waits for review, and fourteen reporters have not reported yet.
REPORTED_LINES = {
    2021: [("CCTT", 120, 205000, "approved")],
    2022: [
        ("PGD-HB", 9, 30000, "approved"),
        ("PGD-NQ", 12, 28000, "approved"),
        ("THPT", 40, 95000, "approved"),
        ("DV-TRUC-THUOC", 4, 12000, "approved"),
        ("TT-GDNN-GDTX", 8, 12000, "submitted"),
    ],
}
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
# Districts evaluate themselves against the example district set (mẫu minh hoạ) from 2022. The
# eight pilot districts: Hồng Bàng and Ngô Quyền are still entering their data (no decision yet);
# four pilots have every value approved and met, and the committee recognised them; An Dương
# misses 3.2.1 and was not recognised; Vĩnh Bảo misses 2.1.3 but was recognised, for a reason
# the committee recorded. The other seven districts are not in the pilot. So 2.1.2 counts 5 of
# 15 recognised, and can reach at most 7 of 15 (46,67 %): the 70 % cannot be reached in 2022.
#: The sample document attached to every «yes» the demo approves (a «yes» needs evidence).
SAMPLE_EVIDENCE = Path(settings.BASE_DIR) / "fixtures/demo/minh-chung-mau.pdf"
DISTRICT_SET = (
    Path(settings.BASE_DIR) / "fixtures/criteria/bo-tieu-chi-quan-huyen-mau-minh-hoa.xlsx"
)
PILOTS = ("HP-HB", "HP-NQ", "HP-LC", "HP-HA", "HP-KA", "HP-TN", "HP-AD", "HP-VB")
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
#: Every indicator of the example district set, each met: what a pilot that finished reports.
MET_IN_FULL = {
    "1.1.1": MeasurementData(yes=True),
    "1.1.2": MeasurementData(yes=True),
    "1.2.1": MeasurementData(yes=True),
    "1.2.2": MeasurementData(numerator=9, denominator=10),
    "2.1.1": MeasurementData(numerator=8, denominator=10),
    "2.1.2": MeasurementData(numerator=15, denominator=20),
    "2.1.3": MeasurementData(numerator=52000, denominator=80000),
    "2.2.1": MeasurementData(numerator=400, denominator=500),
    "2.2.2": MeasurementData(value=D(125000), previous=D(98000)),
    "3.1.1": MeasurementData(value=D("2.1"), previous=D("3.4")),
    "3.1.2": MeasurementData(numerator=137, denominator=200),
    "3.1.3": MeasurementData(value=D(78), previous=D(71)),
    "3.2.1": MeasurementData(numerator=6, denominator=25000),
    "3.2.2": MeasurementData(yes=True),
}
#: The pilots that finished, with what they missed (nothing: every indicator met).
FINISHED_PILOTS = {
    "HP-LC": {},
    "HP-HA": {},
    "HP-KA": {},
    "HP-TN": {},
    "HP-AD": {"3.2.1": MeasurementData(numerator=18, denominator=24000)},  # 0,075 % ≥ 0,05 %
    "HP-VB": {"2.1.3": MeasurementData(numerator=29000, denominator=50000)},  # 58 % < 60 %
}
#: 2022's calendar: the plan's timetable (launch in the first quarter, the committee in December).
ROUNDS_2022 = {
    "city": {
        "entry_opens_on": date(2022, 4, 1),
        "due_on": date(2022, 11, 30),
        "council_on": date(2022, 12, 15),
        "committee_on": date(2022, 12, 20),
    },
    "district": {
        "entry_opens_on": date(2022, 4, 1),
        "due_on": date(2022, 11, 25),
        "council_on": date(2022, 12, 15),
        "committee_on": date(2022, 12, 20),
    },
}
#: The committee's decisions of 20/12/2022 on the pilots that finished.
DECISIONS_2022 = {
    "HP-LC": ("recognized", ""),
    "HP-HA": ("recognized", ""),
    "HP-KA": ("recognized", ""),
    "HP-TN": ("recognized", ""),
    "HP-AD": ("not_recognized", ""),
    "HP-VB": (
        "recognized",
        "Hội đồng đánh giá thành phố xác minh tỷ lệ «Gia đình học tập» của huyện đạt 61,2 % theo "
        "số liệu cập nhật ngày 15/12/2022 (sau hạn nhập); Ban chỉ đạo công nhận theo kết luận "
        "của Hội đồng.",
    ),
}


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
        self._report_lines(criteria_set, 2021, reviewer)
        # 2021's poverty rate was measured under the standard of 2016–2020: never compared with
        # 2022's, which is measured under the new one (2022 states its own previous rate).
        Measurement.objects.filter(year=2021, indicator__code="3.1.2").update(
            basis=POVERTY_2016_2020
        )
        EvaluationYear.objects.filter(year=2021).update(state=EvaluationYear.State.LOCKED)
        self._enter(criteria_set, 2022, VALUES_2022, reviewer)
        self._report_lines(criteria_set, 2022, reviewer)
        self._lists(criteria_set, reviewer)
        district_set = self._district_set()
        self._enter(district_set, 2022, DISTRICT_VALUES_2022 + self._finished_pilots(), reviewer)
        self._rounds(reviewer)
        self._decide(reviewer)
        return True

    def _lists(self, criteria_set: CriteriaSet, reviewer: User) -> None:
        actor, city_unit = actor_for(reviewer), city()
        indicators = Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
        agencies = [
            lists.ItemData(name, score=D(score.replace(",", "."))) for name, score in AGENCY_SCORES
        ]
        flags = [
            lists.ItemData(d.name, flag=d.code not in NO_FREE_WIFI, district=d)
            for d in subdivisions(2022, CriteriaSet.Level.DISTRICT)
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

    @staticmethod
    def _report_lines(criteria_set: CriteriaSet, year: int, reviewer: User) -> None:
        actor, city_unit = actor_for(reviewer), city()
        indicator = Indicator.objects.get(
            criterion__standard__criteria_set=criteria_set, code="3.2.3"
        )
        departments = {d.code: d for d in Department.objects.all()}
        for code, numerator, denominator, status in REPORTED_LINES[year]:
            line = services.reported_line_save(
                actor=actor,
                user=reviewer,
                indicator=indicator,
                unit=city_unit,
                year=year,
                department=departments[code],
                data=services.LineData(numerator, denominator),
                expected_version=None,
                submit=True,
            )
            if status == "approved":
                services.reported_line_review(
                    actor=actor, user=reviewer, line=line, approve=True, seen_version=line.version
                )

    def _district_set(self) -> CriteriaSet:
        """The example district set (clearly marked "mẫu minh hoạ"), imported like any other."""
        existing = CriteriaSet.objects.filter(level=CriteriaSet.Level.DISTRICT).first()
        if existing:
            return existing
        return criteria_set_adopt(plan=criteria_set_plan_from_bytes(DISTRICT_SET.read_bytes()))

    @staticmethod
    def _finished_pilots() -> list:
        return [
            (code, unit, missed.get(code, data), "approved")
            for unit, missed in FINISHED_PILOTS.items()
            for code, data in MET_IN_FULL.items()
        ]

    @staticmethod
    def _rounds(reviewer: User) -> None:
        """2022's rounds: their calendar and the eight pilot districts. Set after the values are
        entered: the values stand for 2022's, entered before its deadlines."""
        year = EvaluationYear.objects.get(year=2022)
        pilots = Unit.objects.filter(code__in=PILOTS).values_list("pk", flat=True)
        for level, calendar in ROUNDS_2022.items():
            round_save(
                by=reviewer,
                year=year,
                level=level,
                calendar=calendar,
                pilot_ids=pilots if level == CriteriaSet.Level.DISTRICT else None,
            )

    def _decide(self, member: User) -> None:
        """The launch conference, then the committee's meeting of 20/12/2022 and its decisions
        (each freezing its record)."""
        actor = actor_for(member)
        tasks = {task.number: task for task in PlanTask.objects.all()}
        meeting_record(
            actor=actor,
            user=member,
            year=2022,
            data={
                "kind": Meeting.Kind.LAUNCH,
                "held_on": date(2022, 3, 25),
                "place": "Sở Giáo dục và Đào tạo Hải Phòng",
                "chaired_by": "Giám đốc Sở GD&ĐT",
                "attendees": "Đại diện UBND, Phòng GD&ĐT 15 quận/huyện; các sở, ngành liên quan.",
                "agenda": "Triển khai Kế hoạch thí điểm xây dựng quận/huyện học tập.",
                "minutes": "",
                "plan_task": tasks.get(3),
            },
        )
        committee = meeting_record(
            actor=actor,
            user=member,
            year=2022,
            data={
                "kind": Meeting.Kind.COMMITTEE,
                "held_on": date(2022, 12, 20),
                "place": "UBND thành phố Hải Phòng",
                "chaired_by": "Trưởng Ban chỉ đạo",
                "attendees": "Các thành viên Ban chỉ đạo; Cơ quan thường trực (Phòng GDTX-CN&ĐH).",
                "agenda": "Đánh giá kết quả thí điểm năm 2022; công nhận quận/huyện học tập.",
                "minutes": (
                    "Ban chỉ đạo nghe Cơ quan thường trực báo cáo kết quả tự đánh giá của 6 quận,"
                    " huyện thí điểm đã hoàn thành và thống nhất công nhận 5 đơn vị."
                ),
                "plan_task": tasks.get(4),
            },
        )
        units = {unit.code: unit for unit in subdivisions(2022, CriteriaSet.Level.DISTRICT)}
        for code, (decision, reason) in DECISIONS_2022.items():
            decision_record(
                actor=actor,
                unit=units[code],
                year=2022,
                user=member,
                data={
                    "meeting": committee,
                    "decision": decision,
                    "number": "45/QĐ-BCĐ",
                    "note": "",
                    "exception_confirmed": bool(reason),
                    "exception_reason": reason,
                },
            )

    def _enter(self, criteria_set: CriteriaSet, year: int, rows: list, reviewer: User) -> None:
        actor = actor_for(reviewer)
        units = {unit.code: unit for unit in Unit.objects.all()}
        indicators = {
            i.code: i
            for i in Indicator.objects.filter(criterion__standard__criteria_set=criteria_set)
        }
        self._attach_evidence(rows, units, indicators, year, reviewer)
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

    @staticmethod
    def _attach_evidence(
        rows: list, units: dict, indicators: dict, year: int, reviewer: User
    ) -> None:
        """One sample document per unit, attached to every «yes» of it that will be approved."""
        claims: dict[str, list[Indicator]] = {}
        for code, unit_code, data, status in rows:
            if status == "approved" and data.yes:
                claims.setdefault(unit_code, []).append(indicators[code])
        for unit_code, claimed in claims.items():
            document_upload(
                actor=actor_for(reviewer),
                user=reviewer,
                unit=units[unit_code],
                year=year,
                indicators=claimed,
                metadata=DocumentMetadata(
                    title="Minh chứng mẫu (dữ liệu thử)", number="01/KH-UBND", issuer="UBND"
                ),
                file=ContentFile(SAMPLE_EVIDENCE.read_bytes(), name="minh-chung-mau.pdf"),
            )

    def _print_accounts(self, password: str, created: bool) -> None:
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu chung: {password})"))
        for username, full_name, *_ in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {full_name}")
        if created:
            self.stdout.write(
                "Đã nạp số liệu mẫu năm 2021 (đã khóa) và 2022 (đang mở), bộ tiêu chí quận/huyện "
                "mẫu minh hoạ, 8 quận/huyện thí điểm và quyết định của Ban chỉ đạo cho 6 quận/"
                "huyện thí điểm."
            )
        else:
            self.stdout.write("Cơ sở dữ liệu đã có số liệu: giữ nguyên, không nạp số liệu mẫu.")
