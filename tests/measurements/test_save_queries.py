"""A save in a handful of queries (issue 18.4): the whole POST of the entry form in at most 15,
its session and cache reads not counted — the year's lock read once, the constraints the database
enforces left to it (a violated check says what full_clean() would have said), the page's
own figures read only when the page is shown. These tests commit, as a running portal does, so
the person's rights come from their session."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.constraints import violated_check
from measurements.models import Measurement
from tests.conftest import YEAR, build_personas, build_world

committing = pytest.mark.django_db(transaction=True)
#: What the issue leaves out of a save's count: the session and the cache.
NOT_COUNTED = ('"django_session"', '"django_cache"')


def counted(queries) -> list[str]:
    """The statements that read or write rows: not the session's or the cache's, nor the BEGIN
    SQLite's driver is sent to open a transaction (PostgreSQL's opens one by itself)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"] != "BEGIN" and not any(table in q["sql"] for table in NOT_COUNTED)
    ]


@pytest.fixture
def division(client):
    world = build_world()
    build_personas(world)
    client.force_login(User.objects.get(username="vanphong"))
    return client


@committing
def test_a_draft_then_a_submission_each_run_at_most_15_queries(division):
    url = reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"])
    division.get(url)  # the rights are kept in the session
    with CaptureQueriesContext(connection) as draft:
        response = division.post(url, {"numerator": "56", "denominator": "80", "save": "1"})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as submission:
        response = division.post(
            url, {"numerator": "57", "denominator": "80", "version": "1", "submit": "1"}
        )
    assert response.status_code == 302
    entry = Measurement.objects.get(indicator__code="1.1.2", year=YEAR)
    assert (entry.numerator, entry.status, entry.version) == (57, "submitted", 2)
    assert len(counted(draft)) <= 15, counted(draft)
    assert len(counted(submission)) <= 15, "\n".join(q[:150] for q in counted(submission))
    year_reads = [sql for sql in counted(submission) if 'FROM "evidence_evaluationyear"' in sql]
    assert len(year_reads) == 1  # the lock, met once, inside the write's transaction


@committing
def test_a_violated_check_constraint_reads_as_its_message(division):
    world_entry = Measurement(
        indicator_id=Measurement._meta.get_field("indicator")
        .related_model.objects.get(code="1.1.2")
        .pk,
        unit_id=Measurement._meta.get_field("unit").related_model.objects.get(code="HP").pk,
        year=YEAR,
        status="returned",  # with no comment: measurement_returned_says_why
        numerator=1,
        denominator=2,
        version=1,
    )
    with pytest.raises(IntegrityError) as failed, transaction.atomic():
        world_entry.save()
    said = violated_check(failed.value, Measurement)
    assert isinstance(said, ValidationError)
    assert said.messages == ["Số liệu bị trả lại phải ghi rõ cần sửa gì."]
    assert not Measurement.objects.exists()


@committing
def test_a_concurrent_first_save_is_not_taken_for_a_check(division):
    fields = {
        "indicator_id": Measurement._meta.get_field("indicator")
        .related_model.objects.get(code="1.1.2")
        .pk,
        "unit_id": Measurement._meta.get_field("unit").related_model.objects.get(code="HP").pk,
        "year": YEAR,
        "version": 1,
        "value": Decimal(1),
    }
    Measurement.objects.create(**fields)
    with pytest.raises(IntegrityError) as failed, transaction.atomic():
        Measurement.objects.create(**fields)
    assert violated_check(failed.value, Measurement) is None
