"""Shared fixtures: a small world of units, departments and indicators, and the personas.

The world and the personas are built once per test module, inside a transaction rolled back after
the module; each test runs in a savepoint inside it (pytest-django's own transaction), so what a
test writes is gone before the next one — Django's `setUpTestData`, for pytest. Each test gets its
own copy of the objects. In a module with a test that commits (`transactional_db`,
`live_server`), every test builds its own world instead.

The world (built by `world`, no fixture file):
    city HP with districts HP-A and HP-B; criteria set with
    1.1.1 document          — led by the standing office (GDTX) and by both district offices
    1.1.2 share ≥ 70 %      — led by the division VP, GDTX coordinating
    2.1.1 drop ≥ 1,5 điểm % — led by GDTX
    2.1.2 increase          — led by GDTX
    2.1.3 rate < 0,05 %     — led by both district offices
Personas (each a logged-in client via `client_for`):
    standing_office  — member of GDTX, group "Cơ quan thường trực": writes and reviews everything
    division         — member of VP: writes the city's 1.1.2 only
    other_division   — member of CCTT, assigned nothing: writes nothing
    district_a       — office of HP-A: writes HP-A's 1.1.1 and 2.1.3; never sees HP-B
    district_b       — office of HP-B: the same for HP-B
    committee        — group "Ban chỉ đạo": reads everything, writes no data
    administrator    — superuser (the standing office's rights, plus the admin)
"""

import copy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from assignments.models import Department, Membership, Role, Unit
from assignments.permissions import STANDING_OFFICE_GROUP, STEERING_COMMITTEE_GROUP
from criteria.models import CriteriaSet, EvaluationYear, Indicator
from tests.factories import (
    assign,
    make_criteria_set,
    make_criterion,
    make_department,
    make_indicator,
    make_standard,
    make_unit,
)

PASSWORD = "correct-horse-battery-staple"
YEAR = 2022


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests do not run collectstatic, so they use the plain storage instead of the manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Production redirects to HTTPS (DEBUG is off in tests); the test client speaks plain HTTP.
    test_security.py checks the production settings themselves with `check --deploy`."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0  # else the browser tests' Chromium insists on HTTPS


@pytest.fixture(autouse=True)
def staging_dir(settings, tmp_path):
    """Staged uploads (common/staging.py) go to a fresh directory for each test."""
    location = tmp_path / "staging-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "staging": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware activates the
    request's language and nothing deactivates it): the next test starts in Vietnamese again."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache_after_a_committing_test(request, django_db_blocker):
    """The suite runs with the default cache, the database's table, as a fresh install does. A
    test that commits leaves its entries behind (flushing empties the models' tables only):
    they go with it, so the next test starts from an empty cache as from an empty database."""
    yield
    if _commits(request.node):
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created for many tests; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    criteria_set: CriteriaSet
    city: Unit
    district_a: Unit
    district_b: Unit
    standing_office_dept: Department
    division_dept: Department
    other_division_dept: Department
    office_a: Department
    office_b: Department
    indicators: dict[str, Indicator]
    year: EvaluationYear

    def indicator(self, code: str) -> Indicator:
        return self.indicators[code]


def _commits(item: pytest.Item) -> bool:
    """Whether a test commits its writes (then nothing can be shared with it)."""
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


def _module_commits(request: pytest.FixtureRequest) -> bool:
    items = [item for item in request.session.items if item.module is request.module]
    return any(_commits(item) for item in items)


@contextmanager
def _module_transaction(django_db_blocker) -> Iterator[None]:
    """A transaction around a module's shared data, rolled back after the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def _shared_world(request, django_db_setup, django_db_blocker) -> Iterator[tuple | None]:
    """The world and the personas of one module, rolled back after it — or None in a module with
    a test that commits (its outer transaction would swallow the commit)."""
    if _module_commits(request):
        yield None
        return
    with _module_transaction(django_db_blocker):
        shared = build_world()
        yield shared, build_personas(shared)


@pytest.fixture(scope="module")
def _shared_haiphong(request, django_db_setup, django_db_blocker) -> Iterator[bool]:
    """The real catalogue loaded once for the module (False in a module with a test that
    commits)."""
    if _module_commits(request):
        yield False
        return
    with _module_transaction(django_db_blocker):
        call_command("loaddata", "haiphong_2022", verbosity=0)
        yield True


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """The catalogue and `load_demo`'s data (2021 locked, 2022 open, decisions and frozen
    records), loaded once for the module and rolled back after it; its evidence files go to a
    temporary storage. For a module whose tests only read."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path_factory.mktemp("evidence"), "base_url": None},
    }
    evidence = {**settings.STORAGES, "evidence": storage}
    with (
        _module_transaction(django_db_blocker),
        override_settings(DEBUG=True, STORAGES=evidence),
        _environment(DEMO_PASSWORD="demo-in-tests-2026"),
    ):
        call_command("loaddata", "haiphong_2022", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=StringIO())
        yield


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    old = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def haiphong(request, _shared_haiphong) -> None:
    """The real catalogue (fixtures/haiphong_2022.json): 20 indicators, the city HP and its 15
    districts, their offices and assignments, 2022 open — once per module where it can be."""
    request.getfixturevalue("transactional_db" if _commits(request.node) else "db")
    if not _shared_haiphong:
        call_command("loaddata", "haiphong_2022", verbosity=0)


@pytest.fixture
def _world_and_personas(request, _shared_world) -> tuple["World", dict]:
    if _shared_world is None:
        request.getfixturevalue("transactional_db" if _commits(request.node) else "db")
        built = build_world()
        return built, build_personas(built)
    request.getfixturevalue("db")
    return copy.deepcopy(_shared_world)  # a test may change the objects in memory


@pytest.fixture
def world(_world_and_personas) -> World:
    return _world_and_personas[0]


@pytest.fixture
def personas(_world_and_personas) -> dict[str, User]:
    return _world_and_personas[1]


def build_world() -> World:
    criteria_set = make_criteria_set("hp-test")
    s1, s2 = make_standard(criteria_set, "1"), make_standard(criteria_set, "2")
    c11, c21 = make_criterion(s1, "1.1"), make_criterion(s2, "2.1")
    indicators = {
        "1.1.1": make_indicator(c11, "1.1.1", kind="document", threshold=None),
        "1.1.2": make_indicator(c11, "1.1.2", kind="share_at_least", threshold="70"),
        "2.1.1": make_indicator(c21, "2.1.1", kind="drop_at_least", threshold="1.5"),
        "2.1.2": make_indicator(
            c21, "2.1.2", kind="increase", threshold=None, unit_of_measure="tỷ đồng"
        ),
        "2.1.3": make_indicator(c21, "2.1.3", kind="rate_below", threshold="0.05"),
    }
    city = make_unit("HP", "city")
    district_a = make_unit("HP-A", "urban", parent=city)
    district_b = make_unit("HP-B", "rural", parent=city)
    gdtx = make_department("GDTX")
    vp = make_department("VP")
    cctt = make_department("CCTT")
    office_a = make_department("PGD-A", "district_office", unit=district_a)
    office_b = make_department("PGD-B", "district_office", unit=district_b)
    for code in ("1.1.1", "2.1.1", "2.1.2"):
        assign(indicators[code], gdtx)
    assign(indicators["1.1.2"], vp)
    assign(indicators["1.1.2"], gdtx, Role.COORDINATE)
    for office in (office_a, office_b):
        assign(indicators["1.1.1"], office)
        assign(indicators["2.1.3"], office)
    year = EvaluationYear.objects.create(year=YEAR, state=EvaluationYear.State.OPEN)
    return World(
        criteria_set,
        city,
        district_a,
        district_b,
        gdtx,
        vp,
        cctt,
        office_a,
        office_b,
        indicators,
        year,
    )


def _user(username: str, department: Department | None = None, group: str | None = None, **kw):
    user = User.objects.create_user(username, password=PASSWORD, first_name=username, **kw)
    if department is not None:
        Membership.objects.create(user=user, department=department)
    if group is not None:
        user.groups.add(Group.objects.get_or_create(name=group)[0])  # flushed by live_server tests
    return user


def build_personas(world: World) -> dict[str, User]:
    return {
        "standing_office": _user("thuongtruc", world.standing_office_dept, STANDING_OFFICE_GROUP),
        "division": _user("vanphong", world.division_dept),
        "other_division": _user("cctt", world.other_division_dept),
        "district_a": _user("pgd_a", world.office_a),
        "district_b": _user("pgd_b", world.office_b),
        "committee": _user("bcd", group=STEERING_COMMITTEE_GROUP),
        "administrator": _user("quantri", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def client_for(client, personas):
    """client_for("division") → the test client logged in as that persona."""

    def login(name: str):
        if name != "anonymous":
            client.force_login(personas[name])
        return client

    return login
