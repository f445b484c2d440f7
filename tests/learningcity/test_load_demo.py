"""`load_demo`: demo accounts and sample values for `make run`, never on a production server."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from criteria.models import EvaluationYear
from evaluation.models import CommitteeDecision
from measurements.models import ListItem, Measurement

pytestmark = pytest.mark.django_db


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
    assert CommitteeDecision.objects.filter(decision="recognized").count() == 11


def test_a_second_run_keeps_the_data_and_changes_only_passwords(catalogue, settings):
    settings.DEBUG = True
    run()
    before = Measurement.objects.count()
    output = run()
    assert Measurement.objects.count() == before
    assert "giữ nguyên" in output
