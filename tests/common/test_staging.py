"""Uploads staged between their preview and their confirmation (common/staging.py): kept in
storage with their SHA-256, owner and expiry; the session holds only the id."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from common.models import StagedImport
from common.staging import (
    discard_staged_upload,
    stage_upload,
    staged_import_content,
    staged_imports_expire,
    staged_upload,
)
from measurements.models import Measurement
from tests.measurements.test_import_views import confirm, upload
from tests.measurements.test_imports import exported, filled

pytestmark = pytest.mark.django_db

CONTENT = b"PK\x03\x04 a workbook's bytes"


def files(location) -> list:
    return sorted(path.name for path in location.rglob("*") if path.is_file())


def test_the_session_holds_only_the_id_and_the_file_reads_back(personas, staging_dir):
    session: dict = {}
    owner = personas["division"]

    record = stage_upload(session, "key", owner=owner, kind="values", content=CONTENT)

    assert session == {"key": record.pk}
    assert record.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert record.size == len(CONTENT)
    assert staged_import_content(staged_upload(session, "key", owner=owner, kind="values")) == (
        CONTENT
    )
    assert len(files(staging_dir)) == 1


def test_another_person_or_another_kind_finds_nothing(personas):
    session: dict = {}
    stage_upload(session, "key", owner=personas["division"], kind="values", content=CONTENT)

    assert staged_upload(session, "key", owner=personas["district_a"], kind="values") is None
    assert staged_upload(session, "key", owner=personas["division"], kind="criteria_set") is None


def test_a_new_upload_replaces_the_staged_one_and_its_file(personas, staging_dir):
    session: dict = {}
    owner = personas["division"]
    first = stage_upload(session, "key", owner=owner, kind="values", content=CONTENT)

    second = stage_upload(session, "key", owner=owner, kind="values", content=CONTENT + b"2")

    assert list(StagedImport.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk
    assert len(files(staging_dir)) == 1


def test_an_expired_upload_is_not_found_and_is_deleted(personas, staging_dir):
    session: dict = {}
    owner = personas["division"]
    stage_upload(session, "key", owner=owner, kind="values", content=CONTENT)
    StagedImport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert staged_upload(session, "key", owner=owner, kind="values") is None
    assert staged_imports_expire() == 1
    assert not StagedImport.objects.exists()
    assert files(staging_dir) == []


def test_a_file_changed_in_storage_is_not_read(personas, staging_dir):
    session: dict = {}
    record = stage_upload(
        session, "key", owner=personas["division"], kind="values", content=CONTENT
    )
    (staging_dir / record.file.name).write_bytes(b"PK\x03\x04 something else")

    assert staged_import_content(record) is None


def test_discarding_forgets_the_id_and_deletes_the_file(personas, staging_dir):
    session: dict = {}
    owner = personas["division"]
    stage_upload(session, "key", owner=owner, kind="values", content=CONTENT)

    discard_staged_upload(session, "key", owner=owner)

    assert session == {}
    assert not StagedImport.objects.exists()
    assert files(staging_dir) == []


def test_a_forged_id_in_the_session_finds_nothing(personas):
    assert staged_upload({"key": "1; DROP"}, "key", owner=personas["division"], kind="v") is None


# --- Through the values import ------------------------------------------------------------------


def test_the_values_preview_is_staged_and_its_confirmation_writes_and_deletes_it(
    client_for, world, staging_dir
):
    client = client_for("division")
    content = filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}})

    upload(client, content)

    staged = StagedImport.objects.get()
    assert client.session["workbook_import"] == staged.pk
    assert staged.seen == [["HP", 2022, "1.1.2", None]]
    response = confirm(client)
    assert response.status_code == 302
    assert Measurement.objects.get().numerator == 56
    assert not StagedImport.objects.exists()
    assert files(staging_dir) == []


def test_a_confirmation_after_the_preview_expired_writes_nothing(client_for, world):
    client = client_for("division")
    upload(client, filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}}))
    StagedImport.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = confirm(client)

    assert response["Location"] == reverse("measurements:import")
    assert not Measurement.objects.exists()


def test_a_confirmation_by_someone_else_in_the_same_session_writes_nothing(
    client_for, world, personas
):
    client = client_for("division")
    upload(client, filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}}))
    StagedImport.objects.update(owner=personas["standing_office"])

    confirm(client)

    assert not Measurement.objects.exists()


def test_the_command_clears_expired_uploads_only(personas, staging_dir):
    owner = personas["division"]
    stage_upload({}, "a", owner=owner, kind="values", content=CONTENT)
    kept = stage_upload({}, "b", owner=owner, kind="values", content=CONTENT + b"2")
    StagedImport.objects.exclude(pk=kept.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    output = StringIO()

    call_command("clear_staged_imports", stdout=output)

    assert list(StagedImport.objects.values_list("pk", flat=True)) == [kept.pk]
    assert len(files(staging_dir)) == 1
    assert "Đã xoá 1 tệp" in output.getvalue()
