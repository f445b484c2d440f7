"""Shares counted from lists: agencies' learning-unit scores, a yes/no per district."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import Workbook

from assignments.permissions import actor_for
from common.excel import WorkbookError
from criteria.models import ListSource
from evaluation.dashboard import baseline
from measurements import lists
from measurements.lists import ItemData
from measurements.models import ListItem, Measurement
from tests.conftest import YEAR


def agencies(*scores: str) -> list[ItemData]:
    return [ItemData(f"Sở {n}", score=Decimal(s)) for n, s in enumerate(scores, start=1)]


def test_an_agency_counts_from_a_score_of_70():
    assert lists.counts(ListSource.AGENCY_SCORES, agencies("69.9", "70", "84.9", "85")) == (3, 4)


def test_districts_with_a_yes_are_counted():
    items = [ItemData("A", flag=True), ItemData("B", flag=False), ItemData("C", flag=True)]
    assert lists.counts(ListSource.DISTRICT_FLAGS, items) == (2, 3)


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        ([], "Danh sách trống."),
        ([ItemData("Sở A", score=Decimal(101))], "Dòng 1: điểm phải là số từ 0 đến 100."),
        ([ItemData("Sở A", score=None)], "Dòng 1: ghi điểm (0–100) hoặc xếp loại"),
        (
            [ItemData("Sở A", score=Decimal(65), rating="kha")],
            "Dòng 1: điểm 65 không khớp xếp loại «Khá» (từ 70 điểm là Khá trở lên).",
        ),
        (
            [ItemData("Sở A", score=Decimal(80), rating="chua_danh_gia")],
            "Dòng 1: đơn vị «Chưa đánh giá» không có điểm.",
        ),
        ([ItemData("Sở A", rating="tot", rating_year=1999)], "Dòng 1: năm xếp loại phải từ"),
        ([ItemData(" ", score=Decimal(80))], "Dòng 1: thiếu tên."),
        ([*agencies("80"), ItemData("sở 1", score=Decimal(75))], "Dòng 2: «sở 1» có hai lần"),
    ],
)
def test_a_bad_agency_list_is_explained(items, problem):
    assert any(p.startswith(problem) for p in lists.check_items(ListSource.AGENCY_SCORES, items))


def test_a_list_problem_is_said_in_the_readers_language_with_the_ratings_as_written():
    items = [ItemData("Sở A", score=Decimal("65.5"), rating="kha")]

    with translation.override("en"):
        assert lists.check_items(ListSource.AGENCY_SCORES, items) == [
            "Line 1: the score 65.5 does not match the rating «Khá» (from 70 points, the rating "
            "is Khá or better)."
        ]
    with translation.override("vi"):
        assert lists.check_items(ListSource.AGENCY_SCORES, items) == [
            "Dòng 1: điểm 65,5 không khớp xếp loại «Khá» (từ 70 điểm là Khá trở lên)."
        ]


@pytest.fixture
def agency_indicator(world):
    indicator = world.indicator("1.1.2")
    indicator.list_source = ListSource.AGENCY_SCORES
    indicator.list_label = "cơ quan, đơn vị xếp loại Khá trở lên"
    indicator.save()
    return indicator


def save(personas, world, indicator, items, user="division", version=None):
    user = personas[user]
    return lists.list_save(
        actor=actor_for(user),
        user=user,
        indicator=indicator,
        unit=world.city,
        year=YEAR,
        items=items,
        expected_version=version,
    )


@pytest.mark.django_db
def test_saving_a_list_submits_its_share_and_keeps_its_lines(personas, world, agency_indicator):
    measurement = save(personas, world, agency_indicator, agencies("69.9", "70", "84.9", "85"))
    assert (measurement.numerator, measurement.denominator) == (3, 4)
    assert measurement.status == Measurement.Status.SUBMITTED
    assert list(ListItem.objects.values_list("score", flat=True)) == [
        Decimal("69.9"),
        Decimal(70),
        Decimal("84.9"),
        Decimal(85),
    ]


@pytest.mark.django_db
def test_the_explanation_names_what_the_list_counts(personas, world, agency_indicator):
    measurement = save(personas, world, agency_indicator, agencies("69.9", "70", "84.9", "85"))
    Measurement.objects.filter(pk=measurement.pk).update(status="approved")
    evaluation = baseline(world.criteria_set, world.city, YEAR).evaluation
    result = next(r for r in evaluation.indicators if r.code == "1.1.2")
    assert result.explanation == ("3/4 cơ quan, đơn vị xếp loại Khá trở lên = 75,00 % ≥ 70 % — Đạt")


@pytest.mark.django_db
def test_the_note_of_a_saved_list_is_vietnamese_whoever_saves_it(personas, world, agency_indicator):
    """The note is stored with the entry, which everyone reads: like notifications, Vietnamese."""
    with translation.override("en"):
        measurement = save(personas, world, agency_indicator, agencies("80", "60"))
    assert measurement.note == "Tính từ danh sách 2 dòng."


@pytest.mark.django_db
def test_a_bad_list_writes_nothing(personas, world, agency_indicator):
    with pytest.raises(ValidationError):
        save(personas, world, agency_indicator, agencies("80", "120"))
    assert not Measurement.objects.exists()
    assert not ListItem.objects.exists()


@pytest.mark.django_db
def test_a_division_not_assigned_cannot_save_the_list(personas, world, agency_indicator):
    with pytest.raises(PermissionDenied):
        save(personas, world, agency_indicator, agencies("80"), user="other_division")
    assert not ListItem.objects.exists()


@pytest.mark.django_db
def test_saving_again_replaces_the_list(personas, world, agency_indicator):
    first = save(personas, world, agency_indicator, agencies("80", "60"))
    save(personas, world, agency_indicator, agencies("90"), version=first.version)
    assert list(ListItem.objects.values_list("name", flat=True)) == ["Sở 1"]
    assert Measurement.objects.get().denominator == 1


def workbook(rows, sheet="Danh sách", headers=("Tên cơ quan, đơn vị", "Điểm")) -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet
    page.append(list(headers))
    for row in rows:
        page.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_agency_list_is_read_from_excel():
    items = lists.read_agency_list(workbook([("Sở Nội vụ", 72.5), ("Sở Y tế", "84,9")]))
    assert items == [
        ItemData("Sở Nội vụ", score=Decimal("72.5")),
        ItemData("Sở Y tế", score=Decimal("84.9")),
    ]


def test_text_in_the_score_column_is_refused_with_its_row():
    with pytest.raises(WorkbookError) as error:
        lists.read_agency_list(workbook([("Sở Nội vụ", "khá")]))
    assert error.value.messages == ["Dòng 2: «khá» không phải là số."]


def test_a_list_without_its_sheet_is_refused():
    with pytest.raises(WorkbookError) as error:
        lists.read_agency_list(workbook([("Sở A", 80)], sheet="Sheet1"))
    assert "Không có trang tính «Danh sách»" in error.value.messages[0]


# --- Ratings, as Thông tư 22/2020 publishes them (issue 13.7) ---------------------------------


def test_a_rating_list_counts_khá_and_better_and_keeps_the_unrated_in_the_count():
    """Tốt, Khá, Khá, Trung bình, Chưa đạt and one agency not rated yet: 3 of 6."""
    items = [
        ItemData("Sở 1", rating="tot"),
        ItemData("Sở 2", rating="kha"),
        ItemData("Sở 3", rating="kha"),
        ItemData("Sở 4", rating="trung_binh"),
        ItemData("Sở 5", rating="chua_dat"),
        ItemData("Sở 6", rating="chua_danh_gia"),
    ]
    assert lists.check_items(ListSource.AGENCY_SCORES, items) == []
    assert lists.counts(ListSource.AGENCY_SCORES, items) == (3, 6)


@pytest.mark.django_db
def test_a_score_list_and_a_rating_list_give_the_same_2_1_1(personas, world, agency_indicator):
    """The same six agencies, once by score (92, 78, 70, 65, 40 and one not rated) and once by
    rating (Tốt, Khá, Khá, Trung bình, Chưa đạt, Chưa đánh giá): 3/6 = 50,00 % both times."""
    scores = [
        *agencies("92", "78", "70", "65", "40"),
        ItemData("Sở 6", rating="chua_danh_gia"),
    ]
    ratings = [
        ItemData(f"Sở {n}", rating=rating, rating_year=2022, decision_number="12/QĐ-UBND")
        for n, rating in enumerate(
            ("tot", "kha", "kha", "trung_binh", "chua_dat", "chua_danh_gia"), start=1
        )
    ]
    explanations = []
    for items in (scores, ratings):
        Measurement.objects.all().delete()
        measurement = save(personas, world, agency_indicator, items)
        Measurement.objects.filter(pk=measurement.pk).update(status="approved")
        evaluation = baseline(world.criteria_set, world.city, YEAR).evaluation
        explanations.append(next(r for r in evaluation.indicators if r.code == "1.1.2").explanation)
    expected = (
        "3/6 cơ quan, đơn vị xếp loại Khá trở lên = 50,00 % < 70 % — Không đạt "
        "(còn thiếu 20 điểm %)"
    )
    assert explanations == [expected, expected]
    stored = ListItem.objects.get(name="Sở 2")
    assert (stored.rating, stored.rating_year, stored.decision_number) == (
        "kha",
        2022,
        "12/QĐ-UBND",
    )


def test_a_rating_list_is_read_from_excel_whatever_the_diacritics():
    headers = ("Tên cơ quan, đơn vị", "Xếp loại", "Năm xếp loại", "Số quyết định")
    data = workbook(
        [("Sở Nội vụ", "Tốt", 2022, "12/QĐ-UBND"), ("Sở Y tế", "kha", "2022", None)],
        headers=headers,
    )
    assert lists.read_agency_list(data) == [
        ItemData("Sở Nội vụ", rating="tot", rating_year=2022, decision_number="12/QĐ-UBND"),
        ItemData("Sở Y tế", rating="kha", rating_year=2022),
    ]


def test_an_unknown_rating_is_refused_with_its_row():
    data = workbook([("Sở Nội vụ", "Xuất sắc")], headers=("Tên cơ quan, đơn vị", "Xếp loại"))
    with pytest.raises(WorkbookError) as error:
        lists.read_agency_list(data)
    assert error.value.messages == [
        "Dòng 2: «Xuất sắc» không phải là xếp loại; hãy ghi «Tốt», «Khá», «Trung bình», "
        "«Chưa đạt», «Chưa đánh giá»."
    ]


def test_an_unknown_rating_is_refused_in_english_with_the_ratings_as_written():
    data = workbook([("Sở Nội vụ", "Xuất sắc")], headers=("Tên cơ quan, đơn vị", "Xếp loại"))
    with translation.override("en"), pytest.raises(WorkbookError) as error:
        lists.read_agency_list(data)
    assert error.value.messages == [
        "Row 2: «Xuất sắc» is not a rating; write «Tốt», «Khá», «Trung bình», «Chưa đạt», "
        "«Chưa đánh giá»."
    ]


def test_the_list_workbook_round_trips_scores_and_ratings():
    items = [
        ListItem(name="Sở 1", score=Decimal("72.5"), rating="kha", rating_year=2022),
        ListItem(name="Sở 2", rating="chua_danh_gia", decision_number="5/QĐ"),
    ]
    assert lists.read_agency_list(lists.build_agency_workbook(items)) == [
        ItemData("Sở 1", score=Decimal("72.5"), rating="kha", rating_year=2022),
        ItemData("Sở 2", rating="chua_danh_gia", decision_number="5/QĐ"),
    ]
