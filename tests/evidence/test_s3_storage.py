"""The evidence storage is swappable: the whole evidence flow — a district office uploads through
the real page, downloads the file, replaces it — works against an S3-compatible server (moto's
server mode, started on a free local port inside the test), configured exactly as settings.py
configures production from the EVIDENCE_S3_* variables (MinIO on premises, or AWS)."""

import runpy
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from evidence.models import Document, DocumentVersion
from tests.evidence.conftest import PDF, PDF_V2, stored_files, upload

moto_server = pytest.importorskip(
    "moto.server",
    reason="moto[server] is not installed (pip install -r requirements-dev.txt); "
    "the S3 evidence flow needs an S3-compatible server to run against",
)
boto3 = pytest.importorskip("boto3")

pytestmark = [pytest.mark.django_db, pytest.mark.once]

ACCESS_KEY = SECRET_KEY = "testing"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible HTTP server on 127.0.0.1, on a port the system chose."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@pytest.fixture
def bucket(settings, monkeypatch, evidence_dir, s3_endpoint, s3_client) -> str:
    """A fresh bucket, and settings.STORAGES["evidence"] as settings.py builds it when the
    EVIDENCE_S3_* variables name that bucket and server (after conftest's file-system storage)."""
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    for variable, value in {
        "EVIDENCE_S3_BUCKET": name,
        "EVIDENCE_S3_ENDPOINT_URL": s3_endpoint,
        "EVIDENCE_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "EVIDENCE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "EVIDENCE_S3_REGION": REGION,
    }.items():
        monkeypatch.setenv(variable, value)
    production = runpy.run_path(
        str(Path(django_settings.BASE_DIR) / "learningcity" / "settings.py")
    )
    assert production["STORAGES"]["evidence"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "evidence": production["STORAGES"]["evidence"]}
    return name


def bucket_objects(s3_client, bucket: str) -> dict[str, bytes]:
    listing = s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: s3_client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listing
    }


def upload_as_district_office(client, world) -> Document:
    response = client.post(
        reverse("evidence:document_upload", args=[world.year.year, "HP-A"]),
        {
            "indicators": [world.indicator("1.1.1").pk],
            "title": "Kế hoạch xây dựng quận học tập",
            "number": "254/KH-UBND",
            "issue_date": "25/03/2022",
            "issuer": "UBND quận",
            "file": upload("Kế hoạch.pdf", PDF),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:document_detail", args=[document.pk])
    return document


def download(client, document: Document, number: int):
    return client.get(reverse("evidence:version_download", args=[document.pk, number]))


def test_an_upload_through_the_page_is_stored_in_the_bucket(
    client_for, world, bucket, s3_client, evidence_dir
):
    document = upload_as_district_office(client_for("district_a"), world)
    version = DocumentVersion.objects.get(document=document)
    assert bucket_objects(s3_client, bucket) == {version.file.name: PDF}
    assert stored_files(evidence_dir) == []  # nothing on the app server's disk


def test_a_stored_object_is_private(client_for, world, bucket, s3_client):
    upload_as_district_office(client_for("district_a"), world)
    key = DocumentVersion.objects.get().file.name
    grants = s3_client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers group


def test_the_download_reads_the_file_back_from_the_bucket(client_for, world, bucket):
    client = client_for("district_a")
    document = upload_as_district_office(client, world)
    response = download(client, document, 1)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_replacement_adds_an_object_and_keeps_the_first(client_for, world, bucket, s3_client):
    client = client_for("district_a")
    document = upload_as_district_office(client, world)
    response = client.post(
        reverse("evidence:document_replace", args=[document.pk]),
        {"file": upload("Kế hoạch (bản ký).pdf", PDF_V2)},
    )
    assert response.status_code == 302
    assert document.versions.count() == 2
    assert sorted(bucket_objects(s3_client, bucket).values()) == sorted([PDF, PDF_V2])
    assert b"".join(download(client, document, 2).streaming_content) == PDF_V2
    assert b"".join(download(client, document, 1).streaming_content) == PDF


def test_another_district_cannot_download_from_the_bucket(client_for, world, bucket):
    document = upload_as_district_office(client_for("district_a"), world)
    response = download(client_for("district_b"), document, 1)
    assert response.status_code == 404
