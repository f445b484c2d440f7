"""What must never happen to evidence is refused by the database itself (evidence/models.py
constraints), not only by forms and services: each write here goes around them (QuerySet.update,
bulk_create, a bare create) and meets an IntegrityError."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from evidence.models import Document, DocumentVersion, Explanation
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

SHA = "a" * 64


def refused(write) -> None:
    """The write fails in the database, and the test's transaction survives it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.fixture
def document(world, personas) -> Document:
    return Document.objects.create(
        unit=world.city, year=YEAR, title="Nghị quyết", created_by=personas["standing_office"]
    )


def version(document, user, **fields) -> DocumentVersion:
    values = {
        "document": document,
        "number": 1,
        "file": "evidence/2022/a.pdf",
        "original_name": "a.pdf",
        "sha256": SHA,
        "size": 10,
        "content_type": "application/pdf",
        "uploaded_by": user,
        **fields,
    }
    return DocumentVersion(**values)


def test_a_version_without_a_hash_is_refused(document, personas):
    user = personas["standing_office"]
    refused(lambda: version(document, user, sha256="").save())
    refused(lambda: version(document, user, sha256="abc").save())


def test_an_empty_version_or_one_without_a_file_is_refused(document, personas):
    user = personas["standing_office"]
    refused(lambda: version(document, user, size=0).save())
    refused(lambda: version(document, user, file="").save())


def test_versions_are_numbered_once_from_1(document, personas):
    user = personas["standing_office"]
    refused(lambda: version(document, user, number=0).save())
    version(document, user).save()
    refused(lambda: version(document, user, file="evidence/2022/b.pdf").save())


def test_a_document_without_a_title_or_with_an_unknown_status_is_refused(document):
    refused(lambda: Document.objects.filter(pk=document.pk).update(title=""))
    refused(lambda: Document.objects.filter(pk=document.pk).update(status="maybe"))


def test_a_withdrawal_must_say_when_who_and_why(document, personas):
    now, user = timezone.now(), personas["standing_office"]
    documents = Document.objects.filter(pk=document.pk)
    refused(lambda: documents.update(withdrawn_at=now))
    refused(lambda: documents.update(withdrawn_at=now, withdrawn_by=user))
    refused(lambda: documents.update(withdrawal_reason="Tải nhầm"))
    documents.update(withdrawn_at=now, withdrawn_by=user, withdrawal_reason="Tải nhầm")
    assert Document.objects.get(pk=document.pk).is_withdrawn


def test_an_empty_or_second_explanation_is_refused(world, personas):
    values = {
        "unit": world.district_a,
        "year": YEAR,
        "indicator": world.indicator("1.1.1"),
        "author": personas["district_a"],
    }
    refused(lambda: Explanation.objects.create(text="", **values))
    Explanation.objects.create(text="Đang chờ ký", **values)
    refused(lambda: Explanation.objects.create(text="Lần hai", **values))
