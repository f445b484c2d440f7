"""Locking a year and writing into it never interleave: a write holds the year's row with a share
lock until it commits, and locking takes the row for update (criteria/models.py)."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from criteria.models import EvaluationYear, ensure_year_open, evaluation_year_set_state

#: serialized_rollback: the flush after each test then leaves the database as the serialized
#: transactional tests that follow expect it (no content types recreated under them).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_locking_a_year_takes_its_row_and_records_who(django_user_model):
    office = django_user_model.objects.create(username="thuongtruc")
    year = EvaluationYear.objects.create(year=2022)
    locked = evaluation_year_set_state(year=year, state=EvaluationYear.State.LOCKED, user=office)
    assert EvaluationYear.objects.get().state == EvaluationYear.State.LOCKED
    assert locked.history.first().history_user == office


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a share lock is PostgreSQL's")
def test_a_write_in_progress_holds_the_year_until_it_commits():
    EvaluationYear.objects.create(year=2022)
    checked, release = threading.Event(), threading.Event()

    def writer() -> None:
        with transaction.atomic():
            ensure_year_open(2022)
            checked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert checked.wait(10)
        with pytest.raises(DatabaseError), transaction.atomic():
            EvaluationYear.objects.select_for_update(nowait=True).get(year=2022)
    finally:
        release.set()
        thread.join()
    with transaction.atomic():  # once the write has committed, the lock is free
        EvaluationYear.objects.select_for_update(nowait=True).get(year=2022)
