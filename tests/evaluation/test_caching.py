"""The dashboards' cached data (evaluation/caching.py): computed once, shared by every reader,
and never shown once a committed write has changed it. These tests commit for real
(transaction=True): the version changes when a transaction commits."""

import io
import re

import pytest
from django.contrib.auth.models import User, update_last_login
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assignments.models import AccountSettings, AuditEntry
from evaluation import versions
from measurements.models import Measurement
from tests.conftest import YEAR
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shared_cache(settings):
    """A cache that keeps things, as CACHE_URL gives production (one process here)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-dashboards",
        }
    }
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def restore_language(settings):
    """A request in English leaves English active in this thread: give the next test Vietnamese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def measurement_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if 'FROM "evidence_measurement"' in q["sql"]]


def test_the_second_dashboard_reads_no_measurement(client_for, world, shared_cache):
    client, url = client_for("committee"), reverse("evaluation:city", args=[YEAR])
    assert measurement_queries(client, url)
    assert measurement_queries(client, url) == []


def test_the_second_district_matrix_reads_no_measurement(client_for, world, shared_cache):
    client, url = client_for("committee"), reverse("evaluation:districts", args=[YEAR])
    assert measurement_queries(client, url)
    assert measurement_queries(client, url) == []


def test_a_committed_value_shows_on_the_next_dashboard(client_for, world, shared_cache):
    client, url = client_for("committee"), reverse("evaluation:city", args=[YEAR])
    assert "55/80" not in client.get(url).content.decode()
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"),
        unit=world.city,
        year=YEAR,
        status="approved",
        numerator=55,
        denominator=80,
    )
    assert "55/80" in client.get(url).content.decode()


def test_a_district_value_shows_on_the_next_matrix(client_for, world, shared_cache):
    client, url = client_for("committee"), reverse("evaluation:districts", args=[YEAR])
    client.get(url)
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"),
        unit=world.district_a,
        year=YEAR,
        status="approved",
        numerator=1,
        denominator=10000,
    )
    matrix = client.get(url).context["matrix"]
    row = next(row for row in matrix.rows if row.unit == world.district_a)
    assert [cell.result.status.value for cell in row.cells] == ["no_data", "met"]


def test_uncommitted_writes_read_around_the_cache(world, shared_cache):
    assert not versions.DATA.uncommitted()
    with transaction.atomic():
        world.city.save()
        assert versions.DATA.uncommitted()  # nothing of this transaction is cached
    assert not versions.DATA.uncommitted()


def test_a_commit_changes_the_version_and_a_rollback_does_not(world, shared_cache):
    before = versions.DATA.tokens([versions.EVERYTHING])

    def save_then_fail() -> None:
        with transaction.atomic():
            world.city.save()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        save_then_fail()
    assert versions.DATA.tokens([versions.EVERYTHING]) == before
    world.city.save()
    assert versions.DATA.tokens([versions.EVERYTHING]) != before


def test_the_administration_log_and_account_settings_leave_the_pages_cached(
    world, personas, shared_cache
):
    """An unlock or a temporary password writes a log entry, not data the pages show; nor does
    a login."""
    before = versions.DATA.tokens([versions.EVERYTHING])
    AuditEntry.objects.create(user=personas["standing_office"], action="year_opened", subject="1")
    AccountSettings.objects.create(user=personas["division"], must_change_password=True)
    update_last_login(User, personas["division"])
    assert versions.DATA.tokens([versions.EVERYTHING]) == before
    personas["division"].first_name = "Lan"
    personas["division"].save()  # a name pages show beside what the person recorded
    assert versions.DATA.tokens([versions.EVERYTHING]) != before


def test_each_language_has_its_own_copy(client_for, world, shared_cache, restore_language):
    client, url = client_for("committee"), reverse("evaluation:city", args=[YEAR])
    vietnamese = client.get(url, headers={"accept-language": "vi"}).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Chưa có số liệu" in vietnamese
    assert "No data" in english


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _body(response) -> str:
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


@pytest.mark.parametrize("basis", ["", "?basis=provisional"])
def test_the_cached_matrix_is_the_uncached_one_byte_for_byte_for_every_role(
    client_for, world, settings, basis
):
    """The matrix's content is rendered once per rights and basis, then read back: each role
    that reads it gets from the cache exactly the page it gets with nothing cached (bar the
    CSRF token); the committee's «Record» links are not shown to a division."""
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.district_a, year=YEAR, value=1
    )
    url = reverse("evaluation:districts", args=[YEAR]) + basis
    default_cache, rendered = settings.CACHES, []

    def count(sender, template, context, **kwargs):
        if template.name == "evaluation/_districts.html":
            rendered.append(template.name)

    pages = {}
    for persona in ("standing_office", "division", "committee", "administrator"):
        client = client_for(persona)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        uncached = _body(client.get(url))
        settings.CACHES = default_cache
        client.get(url)
        template_rendered.connect(count)
        try:
            pages[persona] = _body(client.get(url))
        finally:
            template_rendered.disconnect(count)
        assert pages[persona] == uncached, persona
    assert rendered == []
    record = reverse("evaluation:decision", args=[YEAR, "HP-A"])
    assert record in pages["committee"]
    assert record not in pages["division"]


@pytest.mark.parametrize(
    ("unit_code", "query"),
    [("HP", ""), ("HP", "?basis=provisional&problems=1"), ("HP-A", "?basis=provisional")],
)
def test_the_cached_dashboard_is_the_uncached_one_byte_for_byte_for_every_role(
    client_for, world, settings, unit_code, query
):
    """The indicators' tree of a dashboard is rendered once per rights and parameters, then read
    back: each role reading the dashboard gets from the cache exactly the page it gets with
    nothing cached (bar the CSRF token)."""
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, numerator=5, denominator=8
    )
    district_set = make_criteria_set("quan-huyen", level="district")
    make_indicator(
        make_criterion(make_standard(district_set)), "1.1.1", kind="document", threshold=None
    )
    url = reverse("evaluation:unit", args=[YEAR, unit_code]) + query
    default_cache, rendered = settings.CACHES, []

    def count(sender, template, context, **kwargs):
        if template.name == "evaluation/_unit_tree.html":
            rendered.append(template.name)

    template_rendered.connect(count)
    try:
        for persona in ["standing_office", "division", "district_a", "committee", "administrator"]:
            client = client_for(persona)
            settings.CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
            }
            uncached = _body(client.get(url))
            settings.CACHES = default_cache
            client.get(url)
            rendered.clear()
            cached = _body(client.get(url))
            assert rendered == [], persona  # read back, not rendered
            assert cached == uncached, persona
            assert 'id="indicator-1.1.' in cached  # the tree is there
    finally:
        template_rendered.disconnect(count)


def test_clear_page_cache_empties_what_the_pages_kept(client_for, world):
    """The default cache (the database's table) holds the matrix's content after a visit; the
    command empties it and the next page is rendered again."""
    client, url = client_for("committee"), reverse("evaluation:districts", args=[YEAR])
    client.get(url)
    assert measurement_queries(client, url) == []  # kept
    out = io.StringIO()
    call_command("clear_page_cache", stdout=out)
    assert "Đã xóa bộ nhớ đệm dùng chung" in out.getvalue()
    assert measurement_queries(client, url)  # read again, not from the cache


#: Pages whose content is cached, the template of that content, and who reads each.
CACHED_PAGES = [
    (
        "evaluation:progress",
        [YEAR],
        "evaluation/_progress.html",
        ["standing_office", "division", "district_a", "committee", "administrator"],
        "Phòng PGD-B",
    ),
    (
        "measurements:my_work",
        [],
        "measurements/_my_work.html",
        ["standing_office", "division", "other_division", "district_a", "district_b"],
        "Đơn vị HP-B",
    ),
    (
        "evidence:coverage",
        [YEAR],
        "evidence/_coverage.html",
        ["standing_office", "division", "district_a", "committee", "administrator"],
        "Đơn vị HP-B",
    ),
]


@pytest.mark.parametrize(
    ("url_name", "args", "template", "readers", "other_district"), CACHED_PAGES
)
def test_progress_my_work_and_coverage_cached_are_the_uncached_pages_for_every_role(
    client_for, world, settings, url_name, args, template, readers, other_district
):
    """Each reader gets from the cache exactly the page it gets with nothing cached (bar the
    CSRF token), the content read back and not rendered; a district office's page never holds
    the other district's row."""
    Measurement.objects.create(
        indicator=world.indicator("2.1.3"), unit=world.district_a, year=YEAR, value=1
    )
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, numerator=5, denominator=8
    )
    url = reverse(url_name, args=args)
    default_cache, rendered = settings.CACHES, []

    def count(sender, template, context, **kwargs):
        rendered.append(template.name)

    pages = {}
    for persona in readers:
        client = client_for(persona)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        uncached = _body(client.get(url))
        settings.CACHES = default_cache
        client.get(url)
        rendered.clear()
        template_rendered.connect(count)
        try:
            pages[persona] = _body(client.get(url))
        finally:
            template_rendered.disconnect(count)
        assert template not in rendered, persona  # read back
        assert pages[persona] == uncached, persona
    assert other_district not in pages["district_a"]
    assert other_district in pages[readers[-1]]  # the other district's office, or a reader of all
