"""`load_demo`: demo accounts and sample values for `make run`, never on a production server."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from assignments.models import Unit
from criteria.models import CriteriaSet, EvaluationYear, Round
from evaluation.dashboard import baseline
from evaluation.models import CommitteeDecision
from evaluation.selectors import Basis, recognition_outlook, year_district_verdicts
from evidence.models import Document
from measurements.models import ListItem, Measurement
from tests.evidence.conftest import evidence_dir  # noqa: F401 (a fixture)

# The demo uploads sample evidence: into a temporary storage (the evidence tests' fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_dir")]


@pytest.fixture
def catalogue(db):
    call_command("loaddata", "haiphong_2022", verbosity=0)


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_refuses_when_debug_is_off(catalogue, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert not User.objects.exists()


def test_it_creates_one_account_per_role_with_the_given_password(catalogue, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2022")
    output = run()
    assert "mat-khau-demo-2022" in output
    for username in ("thuongtruc", "vanphong", "cctt", "pgd.hongbang", "pgd.ngoquyen", "bcd"):
        assert User.objects.get(username=username).check_password("mat-khau-demo-2022")


def test_it_loads_sample_years_values_lists_and_decisions(catalogue, settings):
    settings.DEBUG = True
    run()
    assert EvaluationYear.objects.get(year=2021).state == "locked"
    assert EvaluationYear.objects.get(year=2022).state == "open"
    assert Measurement.objects.filter(year=2022, status="returned").exists()
    assert ListItem.objects.count() == 12 + 15
    assert CommitteeDecision.objects.filter(decision="recognized").count() == 5


def test_the_demo_tells_a_consistent_recognition_story(catalogue, settings, client):
    """Eight pilots; the four that met every indicator recognised, An Dương (3.2.1 missed) not,
    Vĩnh Bảo (2.1.3 missed) recognised with a recorded reason; Hồng Bàng and Ngô Quyền still
    entering. Officially 5 of 15 = 33,33 %; at most 5 + 2 undecided pilots = 7 of 15."""
    settings.DEBUG = True
    run()
    pilots = Round.objects.get(evaluation_year__year=2022, level="district").pilots.all()
    assert {unit.code for unit in pilots} == {
        "HP-HB", "HP-NQ", "HP-LC", "HP-HA", "HP-KA", "HP-TN", "HP-AD", "HP-VB"
    }  # fmt: skip
    verdicts = {v.unit.code: v for v in year_district_verdicts(2022, basis=Basis.OFFICIAL)}
    for code in ("HP-LC", "HP-HA", "HP-KA", "HP-TN"):
        assert (verdicts[code].computed.value, verdicts[code].decided) == ("recognized", True)
    assert (verdicts["HP-AD"].computed.value, verdicts["HP-AD"].decided) == (
        "not_recognized",
        False,
    )
    assert (verdicts["HP-VB"].computed.value, verdicts["HP-VB"].decided) == ("not_recognized", True)
    assert [code for code, v in verdicts.items() if v.differs] == ["HP-VB"]
    assert "61,2 %" in CommitteeDecision.objects.get(unit__code="HP-VB").exception_reason
    assert not CommitteeDecision.objects.exclude(unit__code__in=verdicts).exists()  # city: none
    city_set = CriteriaSet.objects.get(code="hp-city-2022")
    result = next(
        r
        for r in baseline(city_set, Unit.objects.get(code="HP"), 2022).evaluation.indicators
        if r.code == "2.1.2"
    )
    assert result.explanation.startswith("5/15 quận/huyện được công nhận = 33,33 % < 70 %")
    outlook = recognition_outlook(2022)
    assert (outlook.pilots, outlook.recognized, outlook.undecided_pilots) == (8, 5, 2)


def test_every_yes_the_demo_approved_has_its_sample_document(catalogue, settings):
    settings.DEBUG = True
    run()
    approved_yes = Measurement.objects.filter(status="approved", yes=True)
    assert approved_yes.count() == 6 + 3 + 4 * 6  # city; Hồng Bàng, Ngô Quyền; finished pilots
    for entry in approved_yes:
        assert Document.objects.filter(
            unit=entry.unit, year=entry.year, indicators=entry.indicator
        ).exists(), (entry.unit.code, entry.indicator.code)


def test_a_second_run_keeps_the_data_and_changes_only_passwords(catalogue, settings):
    settings.DEBUG = True
    run()
    before = Measurement.objects.count()
    output = run()
    assert Measurement.objects.count() == before
    assert "giữ nguyên" in output
