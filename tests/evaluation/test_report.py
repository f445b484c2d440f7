"""The committee's report (Excel and print page) and the committee's decision."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import Department, Unit
from assignments.permissions import STEERING_COMMITTEE_GROUP
from criteria.models import Indicator
from evaluation.models import CommitteeDecision, Meeting
from evaluation.reports import HEADERS
from measurements.models import Measurement, ReportedLine
from tests.common.test_forms import no_such_day
from tests.conftest import YEAR
from tests.factories import (
    make_criteria_set,
    make_criterion,
    make_indicator,
    make_meeting,
    make_pilots,
    make_standard,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def haiphong_with_values(db, client, django_user_model):
    """The real catalogue with a few approved values of the city; the client is a committee
    member (the `world` personas would clash with the fixture's rows)."""
    call_command("loaddata", "haiphong_2022", verbosity=0)
    member = django_user_model.objects.create_user("bcd")
    member.groups.add(Group.objects.get(name=STEERING_COMMITTEE_GROUP))
    client.force_login(member)
    city = Unit.objects.get(code="HP")
    meeting = make_meeting(2022, member)
    for district in Unit.objects.exclude(code="HP").order_by("position")[:11]:  # 2.1.2: 11/15
        CommitteeDecision.objects.create(
            unit=district,
            year=2022,
            meeting=meeting,
            decision="recognized",
            recorded_by=member,
        )

    def indicator(code: str) -> Indicator:
        return Indicator.objects.get(
            code=code, criterion__standard__criteria_set__code="hp-city-2022"
        )

    Measurement.objects.create(
        indicator=indicator("1.1.1"), unit=city, year=2022, status="approved", yes=True
    )
    ReportedLine.objects.create(  # 3.2.3: 7 of 10.000 pupils = 0,07 %, not below 0,05 %
        indicator=indicator("3.2.3"),
        unit=city,
        year=2022,
        department=Department.objects.get(code="CCTT"),
        numerator=7,
        denominator=10000,
        status="approved",
    )


def workbook(client):
    response = client.get(reverse("evaluation:report_workbook", args=[2022]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(response.content))


def test_excel_report_has_every_indicator_with_its_status_in_vietnamese(
    client, haiphong_with_values
):
    sheet = workbook(client).active
    rows = list(sheet.iter_rows(min_row=6, max_row=25, values_only=True))
    assert rows[0][3].startswith("1.1.1. ")
    statuses = {row[3][:5]: row[6] for row in rows}
    assert len(statuses) == 20
    assert statuses["1.1.1"] == "Đạt"
    assert statuses["2.1.2"] == "Đạt"
    assert statuses["3.2.3"] == "Không đạt"
    assert statuses["3.1.1"] == "Chưa có số liệu"


def test_excel_report_layout(client, haiphong_with_values):
    sheet = workbook(client).active
    assert [cell.value for cell in sheet[5]] == HEADERS
    assert sheet["A5"].font.bold
    assert sheet["D6"].font.name == "Times New Roman"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "B6:B10" in merged  # standard 1 spans its five indicators
    assert "C6:C7" in merged  # criterion 1.1 spans two
    assert sheet["D6"].border.left.style == "thin"


def test_the_excel_report_prints_every_row_readably_and_is_signed(client, haiphong_with_values):
    sheet = workbook(client).active
    # 1.1.1's text (155 characters) wraps to 3 lines in its column of width 48 (52 a line).
    assert len(sheet["D6"].value) == 155
    assert sheet.row_dimensions[6].height == 3 * 14 + 3
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.oddFooter.center.text == "Trang &P/&N"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1
    texts = [cell.value for row in sheet.iter_rows(min_col=6, max_col=6) for cell in row]
    date = texts.index("Hải Phòng, ngày     tháng     năm 20   ")
    assert [text for text in texts[date + 1 :] if text] == ["GIÁM ĐỐC"]


# The real catalogue's tests come first: the module's `world` (built once, later) would clash.


def test_print_report_page(client, haiphong_with_values):
    html = client.get(reverse("evaluation:report", args=[2022])).content.decode()
    assert "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ" in html
    assert "Đơn vị chủ trì" in html
    assert "@page" not in html  # print rules live in the stylesheet, not inline


def test_the_report_names_the_degree_the_rule_and_how_far_2_1_2_can_go(
    client, haiphong_with_values
):
    """The fixture's city: 1.1.1 and 2.1.2 (11 of 15 recognised) met, 3.2.3 not (0,07 % where
    below 0,05 % is required) — 2 of 20; no criterion is met whole, nor any standard. No pilot
    yet: at most the 11 recognised."""
    html = client.get(reverse("evaluation:report", args=[2022])).content.decode()
    assert "Mức độ đáp ứng: 2/20 chỉ báo, 0/6 tiêu chí, 0/3 tiêu chuẩn đạt." in html
    assert (
        "Quy tắc công nhận của cổng (kế hoạch không quy định cách tổng hợp): Công nhận khi đạt "
        "tất cả các tiêu chuẩn."
    ) in html
    assert (
        "11/15 quận/huyện được công nhận = 73,33 % ≥ 70 % — Đạt. Quận/huyện thí điểm: 0/15; "
        "Ban chỉ đạo đã công nhận: 11. Tối đa: 11/15 quận/huyện được công nhận = 73,33 % ≥ 70 % "
        "— Đạt."
    ) in html
    sheet = workbook(client).active
    texts = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Mức độ đáp ứng: 2/20 chỉ báo, 0/6 tiêu chí, 0/3 tiêu chuẩn đạt." in texts


def test_the_printed_report_spells_out_percentage_points(client, haiphong_with_values):
    Measurement.objects.create(
        indicator=Indicator.objects.get(
            code="2.2.1", criterion__standard__criteria_set__code="hp-city-2022"
        ),
        unit=Unit.objects.get(code="HP"),
        year=2022,
        status="approved",
        value=Decimal("65"),
    )
    html = client.get(reverse("evaluation:report", args=[2022])).content.decode()
    assert "còn thiếu 5 điểm phần trăm" in html
    assert "điểm %" not in html


@pytest.fixture
def meeting(world, personas):
    return make_meeting(YEAR, personas["committee"])


def record(client, unit="HP", **data):
    """Post a decision taken at the year's committee meeting (recorded first if need be)."""
    meeting = Meeting.objects.filter(kind="committee", year=YEAR).first()
    if meeting is None:
        meeting = make_meeting(YEAR, User.objects.get(username="bcd"))
    payload = {"meeting": meeting.pk, "decision": "not_recognized", "note": "", **data}
    return client.post(reverse("evaluation:decision", args=[YEAR, unit]), payload)


def test_committee_records_its_decision(client_for, personas, world, meeting):
    response = record(client_for("committee"), note="Chưa đạt tiêu chuẩn 2", number="15/QĐ-BCĐ")
    assert response.status_code == 302
    decision = CommitteeDecision.objects.get()
    assert decision.meeting == meeting
    assert decision.recorded_by == personas["committee"]
    html = client_for("committee").get(reverse("evaluation:city", args=[YEAR])).content.decode()
    assert "Chưa đạt tiêu chuẩn 2" in html
    assert "20/12/2022" in html


def test_decision_appears_in_the_report(client_for, world, meeting):
    record(client_for("committee"), decision="recognized", number="15/QĐ-BCĐ")
    html = client_for("committee").get(reverse("evaluation:report", args=[YEAR])).content.decode()
    assert "Quyết định của Ban chỉ đạo: công nhận (họp ngày 20/12/2022, số 15/QĐ-BCĐ)" in html


def test_changing_the_decision_keeps_its_history(client_for, world, meeting):
    client = client_for("committee")
    record(client)
    record(client, decision="recognized")
    assert CommitteeDecision.objects.get().decision == "recognized"
    assert CommitteeDecision.history.count() == 2


@pytest.mark.parametrize("persona", ["division", "district_a", "other_division"])
def test_others_cannot_record_the_decision(client_for, persona, meeting):
    assert record(client_for(persona)).status_code in (403, 404)
    assert not CommitteeDecision.objects.exists()


def test_a_day_that_does_not_exist_is_refused_as_such(client_for, world):
    response = client_for("committee").post(
        reverse("evaluation:meeting_new", args=[YEAR]),
        {"kind": "committee", "held_on": "31/02/2022"},
    )
    assert response.status_code == 200
    assert no_such_day("31/02/2022", "02", 2022, 28) in response.content.decode()
    assert not Meeting.objects.exists()


# --- Recognising a district against the data (issue 13.1) ------------------------------------


@pytest.fixture
def pilot_met(world):
    """HP-A: a pilot whose one district indicator is approved and met (computed «Đạt»)."""
    district_set = make_criteria_set("quan-huyen", level="district")
    document = make_indicator(
        make_criterion(make_standard(district_set)), "1.1.1", kind="document", threshold=None
    )
    Measurement.objects.create(
        indicator=document, unit=world.district_a, year=YEAR, status="approved", yes=True
    )
    make_pilots(YEAR, [world.district_a])


def test_recognising_a_pilot_computed_met_asks_for_no_reason(client_for, world, pilot_met):
    client = client_for("committee")
    form = client.get(reverse("evaluation:decision", args=[YEAR, "HP-A"])).content.decode()
    assert 'name="exception_reason"' not in form
    assert record(client, "HP-A", decision="recognized").status_code == 302
    assert CommitteeDecision.objects.get().exception_reason == ""


def test_recognising_a_district_outside_the_pilot_needs_a_confirmed_reason(client_for, world):
    """HP-B: no pilot, no district set. Before: recorded like any other, nothing said."""
    client = client_for("committee")
    form = client.get(reverse("evaluation:decision", args=[YEAR, "HP-B"])).content.decode()
    assert "Công nhận quận/huyện này là khác với dữ liệu:" in form
    assert "không thuộc diện thí điểm" in form
    assert "chưa có kết quả tính toán (chưa có bộ tiêu chí quận/huyện của năm)" in form

    refused = record(client, "HP-B", decision="recognized", exception_reason="Đã xác minh")
    assert refused.status_code == 200
    assert "hãy đánh dấu xác nhận và ghi lý do của Ban chỉ đạo" in refused.content.decode()
    assert not CommitteeDecision.objects.exists()

    reason = "Hội đồng đánh giá thành phố đã xác minh tại chỗ ngày 15/12/2022"
    response = record(
        client, "HP-B", decision="recognized", exception_confirmed="on", exception_reason=reason
    )
    assert response.status_code == 302
    assert CommitteeDecision.objects.get().exception_reason == reason
    unit_page = client.get(reverse("evaluation:unit", args=[YEAR, "HP-B"])).content.decode()
    assert "Công nhận khác với dữ liệu" in unit_page
    assert reason in unit_page
    matrix = client.get(reverse("evaluation:districts", args=[YEAR])).content.decode()
    assert reason in matrix


def test_not_recognising_needs_no_reason_and_drops_an_old_one(client_for, world):
    client = client_for("committee")
    record(client, "HP-B", decision="recognized", exception_confirmed="on", exception_reason="X")
    assert record(client, "HP-B", decision="not_recognized").status_code == 302
    assert CommitteeDecision.objects.get().exception_reason == ""


def test_a_reason_recorded_under_another_rule_is_not_called_against_the_data(
    client_for, world, pilot_met
):
    """HP-A recognised with a reason while not a pilot; once it is one and computed «Đạt», the
    page keeps the reason but no longer flags the recognition."""
    make_pilots(YEAR, [])
    client = client_for("committee")
    record(
        client, "HP-A", decision="recognized", exception_confirmed="on", exception_reason="Lý do"
    )
    page = client.get(reverse("evaluation:unit", args=[YEAR, "HP-A"])).content.decode()
    assert "Công nhận khác với dữ liệu" not in page  # computed «Đạt»: only the pilot flag differed
    assert "Lý do đã ghi cùng quyết định:" in page
    assert "không thí điểm" in page


def test_the_decision_page_costs_a_bounded_number_of_queries(
    client_for, world, pilot_met, django_assert_max_num_queries
):
    """The form and the recording both ask whether recognising goes against the data (the
    district's verdict on approved data): a fixed number of queries whatever the set's size."""
    client = client_for("committee")
    url = reverse("evaluation:decision", args=[YEAR, "HP-A"])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    # The recording reads the verdict twice (the form's warning, then the service's check),
    # then freezes the record from the database: the set, the values, the evidence (about 20);
    # the set's levels and validity are read by the form and by the service (one query each).
    with django_assert_max_num_queries(62):
        assert record(client, "HP-A", decision="recognized").status_code == 302
