"""The cached catalogue tree (assignments/caching.py): read from the cache on the second page, and
forgotten on every committed change of a catalogue row, so no page ever shows a catalogue that has
changed. The version changes when a transaction commits: these tests commit for real."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, transaction
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import caching
from assignments.models import Assignment, Department
from criteria.models import EvaluationYear, Indicator
from tests.conftest import build_personas, build_world
from tests.factories import assign, make_catalogue, make_criteria_set, make_department

committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CATALOGUE_TABLES = ('"criteria_indicator"', '"assignments_assignment"', '"criteria_standard"')


@pytest.fixture
def shared_cache(settings):
    """A cache that keeps things, as CACHE_URL gives production (one process here)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-catalogue",
        }
    }
    yield cache
    cache.clear()


def catalogue_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("criteria:catalogue")).status_code == 200
    return [q["sql"] for q in queries if any(t in q["sql"] for t in CATALOGUE_TABLES)]


@committing
def test_the_second_catalogue_page_reads_no_catalogue_row(client, shared_cache):
    make_catalogue(3)
    assert catalogue_queries(client)  # the first reads the tree…
    assert catalogue_queries(client) == []  # …and keeps it


@committing
def test_by_default_the_second_page_reads_the_catalogue_from_the_cache_table(client):
    make_catalogue(1)
    catalogue_queries(client)
    assert catalogue_queries(client) == []  # the database's cache table, a fresh install's


@committing
def test_with_the_cache_switched_off_every_page_reads_the_database(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    make_catalogue(1)
    catalogue_queries(client)
    assert catalogue_queries(client)  # CACHE_URL=dummy:// keeps nothing


@committing
def test_a_newly_opened_year_shows_its_own_set_on_the_next_page(client, shared_cache):
    """The catalogue shows the set the latest year is evaluated against: opening a year whose
    set is another one shows that set, though no catalogue row changed."""
    make_catalogue(1, make_criteria_set("bo-2022", first_year=2022, last_year=2022))
    make_catalogue(1, make_criteria_set("bo-2023", first_year=2023))
    EvaluationYear.objects.create(year=2022)
    assert "Bộ tiêu chí bo-2022" in client.get("/criteria/").content.decode()
    EvaluationYear.objects.create(year=2023)
    page = client.get("/criteria/").content.decode()
    assert "Bộ tiêu chí bo-2023" in page
    assert "Bộ tiêu chí bo-2022" not in page


@committing
def test_a_changed_indicator_shows_on_the_next_page(client, shared_cache):
    make_catalogue(1)
    client.get(reverse("criteria:catalogue"))
    indicator = Indicator.objects.get(code="1.1.1")
    indicator.text = "Chỉ báo đã sửa trong trang quản trị"
    indicator.save()
    assert "Chỉ báo đã sửa trong trang quản trị" in client.get("/criteria/").content.decode()


@committing
def test_a_new_assignment_shows_on_the_next_page(client, shared_cache):
    make_catalogue(1)
    client.get(reverse("criteria:catalogue"))
    assign(Indicator.objects.get(code="1.1.1"), make_department("NEW", "division"))
    assert "Phòng NEW" in client.get("/criteria/").content.decode()


@committing
def test_a_deleted_assignment_leaves_the_next_page(client, shared_cache):
    make_catalogue(1)
    extra = assign(Indicator.objects.get(code="1.1.1"), make_department("GONE", "division"))
    assert "Phòng GONE" in client.get("/criteria/").content.decode()
    extra.delete()
    assert "Phòng GONE" not in client.get("/criteria/").content.decode()


@committing
def test_a_renamed_department_shows_on_the_next_page(client, shared_cache):
    make_catalogue(1)
    client.get(reverse("criteria:catalogue"))
    department = Department.objects.get()
    department.name = "Phòng Giáo dục thường xuyên"
    department.save()
    assert "Phòng Giáo dục thường xuyên" in client.get("/criteria/").content.decode()


@committing
def test_uncommitted_changes_read_around_the_cache(shared_cache):
    make_catalogue(1)
    before = caching.catalogue_version()
    with transaction.atomic():
        Indicator.objects.filter(code="1.1.1").get().save()
        assert caching.catalogue_version() is None  # nothing of this transaction is cached
    assert caching.catalogue_version() not in (None, before)


@committing
def test_a_write_without_signals_is_forgotten_by_forget(shared_cache):
    criteria_set = make_catalogue(1)
    caching.catalogue_tree(criteria_set)
    Indicator.objects.filter(code="1.1.1").update(text="Sửa hàng loạt")
    caching.CATALOGUE.forget()
    indicators = [
        i.text
        for s in caching.catalogue_tree(criteria_set)
        for c in s.criteria.all()
        for i in c.indicators.all()
    ]
    assert "Sửa hàng loạt" in indicators


@committing
def test_the_dashboard_reads_the_cached_tree(client_for, world, shared_cache):
    client = client_for("committee")
    url = reverse("evaluation:city", args=[2022])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q for q in queries if '"assignments_assignment"."role_text"' in q["sql"]]
    assert Assignment.objects.exists()


@committing
def test_the_database_cache_table_serves_the_catalogue(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_catalogue_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    make_catalogue(1)
    catalogue_queries(client)
    assert catalogue_queries(client) == []
    Indicator.objects.filter(code="1.1.1").get().save()
    assert catalogue_queries(client)


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),  # fast by default: migrate made it
        ("db://django_cache", "django.core.cache.backends.db.DatabaseCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_url_chooses_the_backend(monkeypatch, url, backend):
    monkeypatch.setenv("CACHE_URL", url)
    production = runpy.run_path(str(Path(django_settings.BASE_DIR) / "learningcity/settings.py"))
    assert production["CACHES"]["default"]["BACKEND"] == backend


@pytest.mark.django_db
def test_migrate_creates_the_default_cache_table():
    """A fresh install caches with no step of its own: the table is there after `migrate`."""
    assert "django_cache" in connection.introspection.table_names()


@pytest.mark.django_db
def test_the_database_cache_keeps_a_provinces_versions_and_pages():
    """A token per unit-year (151 units over a few years) and the pages beside them: Django's
    default of 300 entries would cull a third of them at every write past it."""
    cache.set_many({f"test:version:{n}": n for n in range(1_000)})
    cache.set("test:page", "kept")
    assert len(cache.get_many([f"test:version:{n}" for n in range(1_000)])) == 1_000
    assert cache.get("test:page") == "kept"


def test_an_unknown_cache_url_is_refused(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured):
        runpy.run_path(str(Path(django_settings.BASE_DIR) / "learningcity/settings.py"))


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PERSONAS = ("anonymous", "standing_office", "division", "district_a", "committee", "administrator")


def _body(response) -> str:
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


@committing
def test_the_cached_catalogue_is_the_uncached_one_byte_for_byte_for_every_role(client, settings):
    """The catalogue's content is rendered once, then read back: the page each role gets from the
    cache is the page it gets with nothing cached (bar the CSRF token)."""
    world = build_world()
    people = build_personas(world)
    rendered = []

    def count(sender, template, context, **kwargs):
        if template.name == "criteria/_set_tree.html":
            rendered.append(template.name)

    default_cache = settings.CACHES
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(people[persona])
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        uncached = _body(client.get(reverse("criteria:catalogue")))
        settings.CACHES = default_cache
        client.get(reverse("criteria:catalogue"))  # kept (or already kept by another role)
        template_rendered.connect(count)
        try:
            cached = _body(client.get(reverse("criteria:catalogue")))
        finally:
            template_rendered.disconnect(count)
        assert cached == uncached, persona
    assert rendered == []  # every role's page came from the one content kept
