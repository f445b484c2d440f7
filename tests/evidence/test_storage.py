"""Where evidence files are stored (evidence/storage.py and the "evidence" storage settings)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from evidence.models import DocumentVersion
from evidence.storage import evidence_storage

ROOT = Path(__file__).parents[2]


def test_the_file_field_uses_the_evidence_storage_of_the_current_settings(evidence_dir):
    storage = DocumentVersion._meta.get_field("file").storage
    name = storage.save("evidence/2022/probe.pdf", ContentFile(b"%PDF-"))
    assert (evidence_dir / name).read_bytes() == b"%PDF-"


def test_by_default_files_go_under_media_root_outside_any_url(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT / "evidence", "base_url": None},
        },
    }
    storage = evidence_storage()
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location) == settings.MEDIA_ROOT / "evidence"
    assert not str(storage.location).startswith(str(settings.STATIC_ROOT))


@pytest.mark.once
def test_an_s3_bucket_in_the_environment_selects_private_object_storage():
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import storages; "
        "print(json.dumps({**settings.STORAGES['evidence'], "
        "'instance': type(storages['evidence']).__name__}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "learningcity.settings",
        "SECRET_KEY": "test-only",
        "EVIDENCE_S3_BUCKET": "minh-chung",
        "EVIDENCE_S3_ENDPOINT_URL": "http://minio.local:9000",
        "EVIDENCE_S3_REGION": "ap-southeast-1",
    }
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    config = json.loads(output)
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["instance"] == "S3Storage"
    assert config["OPTIONS"]["bucket_name"] == "minh-chung"
    assert config["OPTIONS"]["endpoint_url"] == "http://minio.local:9000"
    assert config["OPTIONS"]["default_acl"] == "private"
    assert config["OPTIONS"]["querystring_auth"] is True
