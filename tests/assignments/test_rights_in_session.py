"""The signed-in person's rights kept in their session with the rights' version (issue 18.2):
read from the session while current, rebuilt on the next request after any change to a
membership, a group or an assignment — never stale. The version changes when a transaction
commits: these tests commit for real, as a running portal does."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import Assignment, Membership
from assignments.permissions import SESSION_KEY, STANDING_OFFICE_GROUP
from tests.conftest import build_personas, build_world

committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
#: The tables the rights are read from.
RIGHTS_TABLES = ('"assignments_membership"', '"auth_user_groups"', '"assignments_assignment"')


@pytest.fixture
def people():
    world = build_world()
    return world, build_personas(world)


def logged_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def rights_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, [q["sql"] for q in queries if any(t in q["sql"] for t in RIGHTS_TABLES)]


@committing
def test_a_second_page_reads_the_rights_from_the_session(client, people):
    client = logged_in(client, "vanphong")
    url = reverse("measurements:my_work")
    status, read = rights_queries(client, url)
    assert status == 200
    assert len(read) == 3  # the first page: membership, groups, assignments
    assert client.session[SESSION_KEY]["user"] == User.objects.get(username="vanphong").pk
    status, read = rights_queries(client, url)
    assert (status, read) == (200, [])
    page = client.get(url).content.decode()
    assert "1.1.2" in page  # the division's assigned indicator, from the kept rights


@committing
def test_a_removed_membership_takes_effect_on_the_next_request(client, people):
    client = logged_in(client, "vanphong")
    url = reverse("evaluation:city", args=[2022])
    assert client.get(url).status_code == 200
    rights_queries(client, url)  # now kept in the session

    Membership.objects.filter(user__username="vanphong").delete()

    refused = client.get(url)
    assert refused.status_code == 403
    assert "chưa thuộc phòng/đơn vị nào" in refused.content.decode()


@committing
def test_a_removed_group_and_a_removed_assignment_take_effect_on_the_next_request(client, people):
    office = logged_in(client, "thuongtruc")
    review = reverse("measurements:review")
    assert office.get(review).status_code == 200
    assert office.get(review).status_code == 200  # from the session
    User.objects.get(username="thuongtruc").groups.remove(
        Group.objects.get(name=STANDING_OFFICE_GROUP)
    )
    assert office.get(review).status_code == 403

    division = logged_in(client, "vanphong")
    entry = reverse("measurements:measurement", args=[2022, "HP", "1.1.2"])
    assert 'name="numerator"' in division.get(entry).content.decode()
    Assignment.objects.filter(department__code="VP").delete()
    assert 'name="numerator"' not in division.get(entry).content.decode()


@committing
def test_without_a_cache_the_rights_are_read_on_every_page(client, people, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = logged_in(client, "vanphong")
    url = reverse("measurements:my_work")
    rights_queries(client, url)
    assert len(rights_queries(client, url)[1]) == 3
    assert SESSION_KEY not in client.session
