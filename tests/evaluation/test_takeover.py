"""Criteria sets cannot silently take over (issue 16.6): loading a set that would become the one a
year holding another set's data is evaluated against lists what would stop counting, and is
refused unless the standing office confirms exactly that list; the public catalogue shows the set
of the latest evaluation year, never one loaded ahead for a future year.

Before: importing a district set for 2022 made every district's 2022 values, documents and
explanations (entered against the city set) silently stop counting, and the catalogue showed a
set loaded for 2027 as soon as it was loaded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assignments.permissions import actor_for
from criteria.importing import criteria_set_plan_from_bytes
from criteria.models import CriteriaSet, EvaluationYear
from criteria.selectors import would_take_over
from evaluation.selectors import superseded_by
from evaluation.services import criteria_set_adopt_checked
from evidence import services as evidence_services
from evidence.models import Explanation
from evidence.services import DocumentMetadata
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.criteria.sheets import sample_bytes
from tests.evidence.conftest import PDF, raw_file
from tests.factories import make_criteria_set
from tests.hostile.conftest import page

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The world's city set "hp-test" has no first year; a district set applying from 2022.
DISTRICT_SET_2022 = {"first_year": YEAR}
DISTRICTS_LINE = [YEAR, "district", "hp-test", 2, 3, 1, 1]
CITY_LINE = [YEAR, "city", "hp-test", 1, 1, 0, 0]


@pytest.fixture
def data_2022(world, personas):
    """2022 data of hp-test: the city's 1.1.2; district A's 1.1.1 and 2.1.3 and a document on
    1.1.1; district B's 2.1.3 and an explanation on 1.1.1."""
    for unit, code in (
        (world.city, "1.1.2"),
        (world.district_a, "1.1.1"),
        (world.district_a, "2.1.3"),
        (world.district_b, "2.1.3"),
    ):
        Measurement.objects.create(indicator=world.indicator(code), unit=unit, year=YEAR)
    evidence_services.document_upload(
        actor=actor_for(personas["district_a"]),
        user=personas["district_a"],
        unit=world.district_a,
        year=YEAR,
        indicators=[world.indicator("1.1.1")],
        metadata=DocumentMetadata(title="Kế hoạch"),
        file=raw_file("ke-hoach.pdf", PDF),
    )
    Explanation.objects.create(
        unit=world.district_b,
        year=YEAR,
        indicator=world.indicator("1.1.1"),
        text="Huyện chưa ban hành kế hoạch.",
        author=personas["district_b"],
    )


def seen(level: str, first_year: int | None, last_year: int | None = None) -> list:
    found = superseded_by(level=level, first_year=first_year, last_year=last_year)
    return [entry.as_seen() for entry in found]


# --- What would stop counting -------------------------------------------------------------------


def test_a_district_set_takes_the_districts_over_from_the_city_set(data_2022):
    assert seen("district", YEAR) == [DISTRICTS_LINE]


def test_a_city_set_takes_the_city_and_the_districts_without_a_set_of_their_own(data_2022):
    assert seen("city", YEAR) == [CITY_LINE, DISTRICTS_LINE]


def test_districts_with_a_set_of_their_own_keep_it_when_a_city_set_comes(data_2022):
    make_criteria_set("qh-2022", "district", first_year=YEAR)
    assert seen("city", YEAR) == [CITY_LINE]


def test_a_set_for_later_years_or_ended_before_takes_nothing(data_2022):
    assert seen("district", YEAR + 1) == []
    assert seen("city", 2015, last_year=YEAR - 1) == []


def test_the_new_set_wins_as_criteria_set_for_would_choose(world):
    make_criteria_set("tp-2022", first_year=YEAR)

    def takes(first_year):
        return would_take_over(
            new_level="city", first_year=first_year, last_year=None, level="city", year=YEAR
        )

    assert (takes(YEAR - 1), takes(None), takes(YEAR)) == (False, False, True)


def test_the_lines_read_as_the_standing_office_reads_them(data_2022):
    city, districts = superseded_by(level="city", first_year=YEAR, last_year=None)
    assert str(city) == (
        "Năm 2022, thành phố: 1 số liệu, 0 minh chứng và 0 giải trình nhập theo bộ «hp-test»"
    )
    assert str(districts) == (
        "Năm 2022, các quận/huyện (2 đơn vị): 3 số liệu, 1 minh chứng và 1 giải trình nhập theo "
        "bộ «hp-test»"
    )


# --- Refused unless confirmed --------------------------------------------------------------------


def district_plan(**fields):
    return criteria_set_plan_from_bytes(sample_bytes(**{**DISTRICT_SET_2022, **fields}))


def test_taking_over_is_refused_without_the_list_read(data_2022):
    with pytest.raises(ValidationError) as caught:
        criteria_set_adopt_checked(plan=district_plan(), seen=None)
    assert caught.value.error_list[0].code == "takeover_not_confirmed"
    assert not CriteriaSet.objects.filter(code="quan-huyen-2025").exists()

    criteria_set_adopt_checked(plan=district_plan(), seen=[DISTRICTS_LINE])
    assert CriteriaSet.objects.filter(code="quan-huyen-2025").exists()


def test_a_change_after_the_list_was_read_is_refused(data_2022, world):
    Measurement.objects.create(indicator=world.indicator("1.1.1"), unit=world.district_b, year=YEAR)

    with pytest.raises(ValidationError) as caught:
        criteria_set_adopt_checked(plan=district_plan(), seen=[DISTRICTS_LINE])
    assert caught.value.error_list[0].code == "takeover_changed"
    assert not CriteriaSet.objects.filter(code="quan-huyen-2025").exists()


def test_a_set_that_takes_nothing_over_needs_no_confirmation(data_2022):
    criteria_set_adopt_checked(plan=district_plan(first_year=YEAR + 1), seen=[])
    assert CriteriaSet.objects.filter(code="quan-huyen-2025").exists()


def preview(client) -> str:
    content = sample_bytes(**DISTRICT_SET_2022)
    response = client.post(
        reverse("criteria:set_import"), {"file": SimpleUploadedFile("bo.xlsx", content, XLSX)}
    )
    assert response.status_code == 200
    return page(response)


def test_the_preview_lists_what_would_stop_counting_and_asks_to_confirm(data_2022, client_for):
    html = preview(client_for("standing_office"))

    assert "sẽ không còn được tính (không sao chép sang bộ mới)" in html
    assert (
        "Năm 2022, các quận/huyện (2 đơn vị): 3 số liệu, 1 minh chứng và 1 giải trình nhập "
        "theo bộ «hp-test»"
    ) in html
    assert 'name="superseded_read"' in html
    assert "Tôi đã đọc danh sách trên: các dữ liệu này sẽ không còn được tính." in html


def test_confirming_without_ticking_the_list_shows_the_preview_again(data_2022, client_for):
    """Before: the person was sent back to an empty form, told to read a list no longer there."""
    client = client_for("standing_office")
    preview(client)

    response = client.post(reverse("criteria:set_import_confirm"))

    assert response.status_code == 200
    html = page(response)
    assert "Hãy đọc danh sách ở phần xem trước và đánh dấu xác nhận" in html
    assert "Năm 2022, các quận/huyện (2 đơn vị): 3 số liệu, 1 minh chứng" in html
    assert 'name="superseded_read"' in html
    assert f'action="{reverse("criteria:set_import")}"' in html  # a new upload is not a confirm
    assert not CriteriaSet.objects.filter(code="quan-huyen-2025").exists()

    response = client.post(reverse("criteria:set_import_confirm"), {"superseded_read": "on"})
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(code="quan-huyen-2025").exists()


def test_a_list_changed_since_the_preview_is_shown_as_it_is_now(data_2022, client_for, world):
    client = client_for("standing_office")
    preview(client)
    Measurement.objects.create(indicator=world.indicator("1.1.2"), unit=world.district_b, year=YEAR)

    response = client.post(reverse("criteria:set_import_confirm"), {"superseded_read": "on"})

    assert response.status_code == 200
    html = page(response)
    assert "Năm 2022, các quận/huyện (2 đơn vị): 4 số liệu, 1 minh chứng" in html
    assert not CriteriaSet.objects.filter(code="quan-huyen-2025").exists()
    response = client.post(reverse("criteria:set_import_confirm"), {"superseded_read": "on"})
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(code="quan-huyen-2025").exists()


def test_the_command_lists_and_waits_for_accept_superseded(data_2022, tmp_path):
    path = tmp_path / "bo.xlsx"
    path.write_bytes(sample_bytes(**DISTRICT_SET_2022))
    out = io.StringIO()

    with pytest.raises(CommandError, match="--accept-superseded"):
        call_command("import_criteria", str(path), stdout=out)

    assert "Năm 2022, các quận/huyện (2 đơn vị): 3 số liệu" in out.getvalue()
    assert not CriteriaSet.objects.filter(code="quan-huyen-2025").exists()
    call_command("import_criteria", str(path), "--accept-superseded", stdout=io.StringIO())
    assert CriteriaSet.objects.filter(code="quan-huyen-2025").exists()


# --- The public catalogue -----------------------------------------------------------------------


def test_the_catalogue_shows_the_set_of_the_latest_year_never_a_future_one(client, world):
    make_criteria_set("tp-2027", first_year=2027)

    assert "Bộ tiêu chí hp-test" in page(client.get(reverse("criteria:catalogue")))

    EvaluationYear.objects.create(year=2027)
    assert "Bộ tiêu chí tp-2027" in page(client.get(reverse("criteria:catalogue")))
