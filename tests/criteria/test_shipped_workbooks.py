"""The workbooks shipped in fixtures/criteria/: the blank template, the example district set and
the example commune set with its levels."""

import importlib.util
from pathlib import Path

import pytest

from criteria.importing import criteria_set_import, criteria_set_plan_from_bytes
from criteria.models import CriteriaSet, Indicator
from criteria.workbooks import TEMPLATE

FOLDER = Path(__file__).parents[2] / "fixtures/criteria"
TEMPLATE_FILE = FOLDER / "mau-bo-tieu-chi.xlsx"
EXAMPLE_FILE = FOLDER / "bo-tieu-chi-quan-huyen-mau-minh-hoa.xlsx"
COMMUNE_FILE = FOLDER / "bo-tieu-chi-xa-phuong-mau-minh-hoa.xlsx"

pytestmark = pytest.mark.django_db


def build_examples():
    """fixtures/criteria/build_examples.py, the script that writes both files."""
    spec = importlib.util.spec_from_file_location("build_examples", FOLDER / "build_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_file(path: Path) -> CriteriaSet:
    return criteria_set_import(plan=criteria_set_plan_from_bytes(path.read_bytes()))


def test_blank_template_imports_as_a_tiny_set():
    criteria_set = import_file(TEMPLATE_FILE)

    assert not criteria_set.is_example
    assert Indicator.objects.filter(criterion__standard__criteria_set=criteria_set).count() == 1


def test_example_district_set_imports():
    criteria_set = import_file(EXAMPLE_FILE)

    assert criteria_set.level == CriteriaSet.Level.DISTRICT
    assert criteria_set.standards.count() == 3
    assert 12 <= Indicator.objects.count() <= 15


def test_example_is_marked_as_an_illustration_not_the_ministrys_set():
    criteria_set = import_file(EXAMPLE_FILE)

    assert criteria_set.code == "quan-huyen-mau-minh-hoa"
    assert criteria_set.is_example
    assert criteria_set.name.casefold().startswith("mẫu minh hoạ")
    assert "mẫu minh hoạ" in criteria_set.legal_basis.casefold()
    assert "KHÔNG phải bộ tiêu chí của Bộ GD&ĐT" in criteria_set.legal_basis


def test_example_has_an_indicator_of_every_kind():
    import_file(EXAMPLE_FILE)

    assert set(Indicator.objects.values_list("kind", flat=True)) == {
        kind.value for kind in Indicator.Kind
    }


def test_example_commune_set_recognises_at_two_levels_for_three_years():
    criteria_set = import_file(COMMUNE_FILE)

    assert (criteria_set.level, criteria_set.recognition_rule) == ("commune", "levels")
    assert (criteria_set.validity_years, criteria_set.is_example) == (3, True)
    assert "KHÔNG chép từ văn bản đó" in criteria_set.legal_basis
    levels = {
        level.number: sorted(level.indicators.values_list("code", flat=True))
        for level in criteria_set.levels.all()
    }
    assert levels == {1: ["1.1.1", "1.1.2", "2.1.1", "2.2.1"], 2: ["1.2.1", "2.1.2", "2.2.2"]}


@pytest.mark.parametrize(
    ("path", "name"),
    [(TEMPLATE_FILE, "TEMPLATE"), (EXAMPLE_FILE, "EXAMPLE"), (COMMUNE_FILE, "COMMUNES")],
)
def test_shipped_file_is_what_the_script_builds(path, name):
    sheet = TEMPLATE if name == "TEMPLATE" else getattr(build_examples(), name)

    assert criteria_set_plan_from_bytes(path.read_bytes()).sheet() == sheet
