"""The apps' imports run one way (docs/architecture.md): a domain module — models, services,
selectors, scoring, workbooks, caching… — imports only apps listed before its own; entry points —
views, urls, admin, forms, template tags, management commands, migrations — may call any app but
the project package. Imports under `if TYPE_CHECKING:` do not count. `measurements` and `evidence`
share a floor and import each other in one direction at most."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
#: The apps, lowest first; apps on one floor share a number.
ORDER = {
    "common": 0,
    "criteria": 1,
    "assignments": 2,
    "notifications": 3,
    "measurements": 4,
    "evidence": 4,
    "evaluation": 5,
    "api": 6,
    "learningcity": 7,
}
PROJECT = "learningcity"
SAME_FLOOR = {"measurements", "evidence"}
ENTRY_MODULES = ("views", "urls", "admin", "forms", "apps")
ENTRY_FOLDERS = ("templatetags", "management", "migrations")


def is_entry_point(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return any(part in ENTRY_FOLDERS for part in parts) or path.stem in ENTRY_MODULES


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) of every absolute import of one of our apps, outside `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in node.body
        for inner in ast.walk(child)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names]
    return [(line, app) for line, app in found if app in ORDER]


def modules(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def arrows_against_the_order(app: str) -> list[str]:
    wrong = []
    for path in modules(app):
        entry = is_entry_point(path)
        for line, target in imported_apps(path):
            where = f"{path.relative_to(ROOT)}:{line} → {target}"
            if target == app:
                continue
            if entry and target == PROJECT:
                wrong.append(f"{where} (an entry point calls the project package)")
            elif not entry and ORDER[target] >= ORDER[app] and {app, target} != SAME_FLOOR:
                wrong.append(f"{where} (a domain module imports an app not below its own)")
    return wrong


@pytest.mark.parametrize("app", list(ORDER))
def test_domain_modules_import_only_apps_below_their_own(app):
    assert arrows_against_the_order(app) == []


def test_measurements_and_evidence_import_each_other_one_way_at_most():
    directions = {
        (app, target)
        for app in sorted(SAME_FLOOR)
        for path in modules(app)
        if not is_entry_point(path)
        for _, target in imported_apps(path)
        if target in SAME_FLOOR - {app}
    }
    assert len(directions) <= 1


def test_the_check_sees_an_arrow_that_climbs(tmp_path, monkeypatch):
    """The test above can fail: a selector of criteria importing evaluation is reported."""
    package = tmp_path / "criteria"
    package.mkdir()
    (package / "selectors.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from evaluation.selectors import gather_inputs\n"
        "if TYPE_CHECKING:\n"
        "    from measurements.models import Measurement\n"
    )
    (package / "views.py").write_text("from evaluation import dashboard\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert arrows_against_the_order("criteria") == [
        "criteria/selectors.py:2 → evaluation (a domain module imports an app not below its own)"
    ]


def test_the_project_package_defines_no_model():
    assert list(apps.get_app_config(PROJECT).get_models()) == []


def test_every_app_of_the_order_is_installed_and_no_other():
    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours == set(ORDER)
