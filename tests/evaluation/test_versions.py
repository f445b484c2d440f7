"""The data's versions per scope (evaluation/versions.py): a write refreshes the cached pages that
read what it changed, and nothing else. On the real catalogue and units, with the default cache
(the database's table), committing for real: a version changes when a transaction commits."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assignments.models import Unit
from assignments.permissions import STEERING_COMMITTEE_GROUP
from criteria.models import Indicator
from evaluation import selectors, versions
from evaluation.models import CommitteeDecision
from measurements.models import Measurement
from tests.factories import (
    make_criteria_set,
    make_criterion,
    make_indicator,
    make_meeting,
    make_standard,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

YEAR = 2022
CITY = "/dashboard/2022/"
CITY_PROVISIONAL = "/dashboard/2022/?basis=provisional"
HONG_BANG = "/dashboard/2022/HP-HB/"
NGO_QUYEN = "/dashboard/2022/HP-NQ/"
MATRIX = "/dashboard/2022/districts/"
PAGES = (CITY, CITY_PROVISIONAL, HONG_BANG, NGO_QUYEN, MATRIX)


@pytest.fixture
def scene(haiphong):
    """The real city and 15 districts; a districts' set of one document indicator; a committee
    member reading every page once, so that each is cached."""
    district_set = make_criteria_set("quan-huyen", level="district")
    plan = make_indicator(
        make_criterion(make_standard(district_set)), "1.1.1", kind="document", threshold=None
    )
    reader = User.objects.create_user("bcd", password="x")
    reader.groups.add(Group.objects.get_or_create(name=STEERING_COMMITTEE_GROUP)[0])
    return plan, reader


def computed(client, url: str) -> bool:
    """Whether the page read any value (the cached one reads none)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return any('FROM "evidence_measurement"' in q["sql"] for q in queries)


def read_every_page(client) -> dict[str, bool]:
    return {url: computed(client, url) for url in PAGES}


def test_a_save_in_hong_bang_refreshes_what_depends_on_it_and_nothing_else(client, scene):
    plan, reader = scene
    client.force_login(reader)
    hong_bang = Unit.objects.get(code="HP-HB")
    assert all(read_every_page(client).values())  # the first visit computes every page
    assert not any(read_every_page(client).values())  # the second reads them all back
    share = "{}/15 quận/huyện được công nhận, tạm tính theo kết quả tự đánh giá"
    assert share.format(0) in client.get(CITY_PROVISIONAL).content.decode()

    Measurement.objects.create(
        indicator=plan, unit=hong_bang, year=YEAR, status="submitted", yes=True
    )

    assert read_every_page(client) == {
        CITY: False,  # officially 2.1.2 counts recorded recognitions only: untouched
        CITY_PROVISIONAL: True,  # provisionally it counts Hồng Bàng's verdict
        HONG_BANG: True,
        NGO_QUYEN: False,
        MATRIX: True,
    }
    # … and what was refreshed shows the save: Hồng Bàng's verdict, 1 of 15 districts.
    assert share.format(1) in client.get(CITY_PROVISIONAL).content.decode()
    assert not any(read_every_page(client).values())


def test_a_city_value_refreshes_the_city_only(client, scene):
    _, reader = scene
    client.force_login(reader)
    read_every_page(client)
    Measurement.objects.create(
        indicator=Indicator.objects.get(code="3.1.4"),
        unit=Unit.objects.get(code="HP"),
        year=YEAR,
        status="approved",
        numerator=9,
        denominator=10,
    )
    assert read_every_page(client) == {
        CITY: True,
        CITY_PROVISIONAL: True,
        HONG_BANG: False,
        NGO_QUYEN: False,
        MATRIX: False,
    }


def test_a_committee_decision_refreshes_every_page_of_its_year(client, scene):
    """A decision belongs to the year: the city's official share counts it, and every
    district's page shows its own."""
    _, reader = scene
    client.force_login(reader)
    read_every_page(client)
    CommitteeDecision.objects.create(
        unit=Unit.objects.get(code="HP-HB"),
        year=YEAR,
        meeting=make_meeting(YEAR, reader),
        decision="recognized",
        recorded_by=reader,
    )
    assert all(read_every_page(client).values())
    assert "1/15 quận/huyện được công nhận = 6,67 %" in client.get(CITY).content.decode()


def test_gather_inputs_declares_the_unit_years_and_years_it_reads(scene):
    """What a cached value depends on is said by the selector that reads the data: this unit's
    year and the year before (last year's values), and the year's own scope."""
    plan, _ = scene
    hong_bang = Unit.objects.get(code="HP-HB")
    seen = versions.DATA.remember(
        "test:declared",
        lambda: (
            selectors.gather_inputs([hong_bang], [YEAR], [plan], basis=selectors.Basis.OFFICIAL)
            and "computed"
        ),
    )
    assert seen == "computed"
    depends, _ = cache.get("test:declared")
    assert set(depends) == {
        f"unit:{hong_bang.pk}:2022",
        f"unit:{hong_bang.pk}:2021",
        "year:2022",
    }


def test_a_rolled_back_write_changes_no_version_and_a_committed_one_does(scene):
    plan, _ = scene
    hong_bang = Unit.objects.get(code="HP-HB")
    scope = versions.unit_year(hong_bang.pk, YEAR)
    before = versions.DATA.tokens([scope, "year:2022"])

    def write_then_fail(yes: bool) -> None:
        with transaction.atomic():
            Measurement.objects.create(indicator=plan, unit=hong_bang, year=YEAR, yes=yes)
            assert versions.DATA.uncommitted()  # this connection reads around the cache
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        write_then_fail(True)
    assert not versions.DATA.uncommitted()
    assert versions.DATA.tokens([scope, "year:2022"]) == before

    with transaction.atomic():
        with pytest.raises(RuntimeError):
            write_then_fail(True)  # a savepoint rolled back…
        Measurement.objects.create(indicator=plan, unit=hong_bang, year=YEAR, yes=False)
    after = versions.DATA.tokens([scope, "year:2022"])  # … the outer commit still counts
    assert after[scope] != before[scope]
    assert after["year:2022"] == before["year:2022"]


@pytest.mark.parametrize(
    ("model", "expected"),
    [("measurement", "unit"), ("decision", "year"), ("unit", "all")],
)
def test_each_row_names_its_scope(scene, model, expected):
    plan, _ = scene
    hong_bang = Unit.objects.get(code="HP-HB")
    rows = {
        "measurement": Measurement(indicator=plan, unit=hong_bang, year=YEAR),
        "decision": CommitteeDecision(unit=hong_bang, year=YEAR),
        "unit": hong_bang,
    }
    scopes = {
        "unit": {f"unit:{hong_bang.pk}:2022", "units:2022"},
        "year": {"year:2022"},
        "all": {"all"},
    }
    assert versions.scopes_of(rows[model]) == scopes[expected]
