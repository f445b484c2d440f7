"""The hostile-input corpus: what a careless or malicious person can send, and what must come back —
a clear Vietnamese message, a 4xx or the form again with its errors, never a 500, and a database
(and evidence storage) exactly as it was.

`unchanged()` is a context manager that proves the last point: it snapshots every record a write
could touch (tests/snapshots.py) and the stored files, and compares after the block.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from django.test import Client

from assignments.permissions import actor_for
from criteria.models import CriteriaSet, EvaluationYear, Indicator
from evidence import services as evidence_services
from evidence.models import Document
from evidence.services import DocumentMetadata
from tests.conftest import YEAR
from tests.evidence.conftest import PDF, raw_file
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard
from tests.snapshots import database_snapshot


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path) -> Path:
    """Evidence files go to a fresh directory for each test."""
    location = tmp_path / "evidence-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture
def unchanged(evidence_dir) -> Callable[[], AbstractContextManager[None]]:
    """`with unchanged(): …` fails when the block wrote a row or stored a file."""

    @contextmanager
    def check() -> Iterator[None]:
        before = database_snapshot(evidence_dir)
        yield
        assert database_snapshot(evidence_dir) == before, "the refused input wrote something"

    return check


@pytest.fixture
def document(world, personas) -> Document:
    """District A's evidence for 1.1.1, uploaded through the service (one version)."""
    return evidence_services.document_upload(
        actor=actor_for(personas["district_a"]),
        user=personas["district_a"],
        unit=world.district_a,
        year=YEAR,
        indicators=[world.indicator("1.1.1")],
        metadata=DocumentMetadata(title="Kế hoạch xây dựng quận học tập"),
        file=raw_file("ke-hoach.pdf", PDF),
    )


@pytest.fixture
def csrf_client_for(personas) -> Callable[[str], Client]:
    """A client that checks CSRF tokens as browsers' requests are checked in production."""

    def login(name: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas[name])
        return client

    return login


def foreign_indicator() -> Indicator:
    """An indicator of a district set that does not apply to the year (in force from 2030)."""
    criteria_set = make_criteria_set("quan-ht-2030", level="district")
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(first_year=2030)
    return make_indicator(make_criterion(make_standard(criteria_set, "9")), "9.1.1")


def lock_year(year: int = YEAR) -> None:
    EvaluationYear.objects.filter(year=year).update(state=EvaluationYear.State.LOCKED)


def page(response) -> str:
    """A response's HTML as text."""
    return response.content.decode()


def escaped_not_raw(html: str, raw: str) -> bool:
    """Whether `raw` (markup someone typed) shows as text: escaped present, raw absent."""
    escaped = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
    return escaped in html and raw not in html
