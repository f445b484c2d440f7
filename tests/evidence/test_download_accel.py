"""Evidence downloads handed to nginx (EVIDENCE_X_ACCEL_REDIRECT_PREFIX): off by default; when
set, the view checks permission exactly as before, then answers with an empty body and an
X-Accel-Redirect to nginx's internal location, so no app-server worker streams the file."""

import runpy
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.evidence.conftest import PDF

pytestmark = pytest.mark.django_db
PREFIX = "/_protected/evidence/"


def download_url(document, number: int = 1) -> str:
    return reverse("evidence:version_download", args=[document.pk, number])


def test_django_streams_the_file_by_default(client_for, make_document):
    assert django_settings.EVIDENCE_X_ACCEL_REDIRECT_PREFIX == ""
    response = client_for("district_a").get(download_url(make_document()))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == PDF


def test_with_a_prefix_nginx_is_told_where_the_file_is(client_for, make_document, settings):
    settings.EVIDENCE_X_ACCEL_REDIRECT_PREFIX = PREFIX
    document = make_document(name="Biên bản họp.pdf")
    response = client_for("district_a").get(download_url(document))
    name = document.versions.get().file.name
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == PREFIX + quote(name)
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf"
        in (response["Content-Disposition"])
    )
    assert response["Cache-Control"] == "private, no-store"


def test_another_district_gets_no_redirect(client_for, world, make_document, settings):
    settings.EVIDENCE_X_ACCEL_REDIRECT_PREFIX = PREFIX
    document = make_document("district_b", unit=world.district_b)
    response = client_for("district_a").get(download_url(document))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_an_anonymous_visitor_gets_no_redirect(client, make_document, settings):
    settings.EVIDENCE_X_ACCEL_REDIRECT_PREFIX = PREFIX
    response = client.get(download_url(make_document()))
    assert response.status_code == 302
    assert "X-Accel-Redirect" not in response


def test_an_object_in_s3_is_reached_through_a_sigv4_presigned_url(
    client_for, make_document, settings, monkeypatch
):
    document = make_document()
    for variable, value in {
        "EVIDENCE_S3_BUCKET": "evidence",
        "EVIDENCE_S3_ENDPOINT_URL": "http://minio.internal:9000",
        "EVIDENCE_S3_ACCESS_KEY_ID": "testing",
        "EVIDENCE_S3_SECRET_ACCESS_KEY": "testing",
        "EVIDENCE_S3_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(variable, value)
    production = runpy.run_path(str(Path(django_settings.BASE_DIR) / "learningcity/settings.py"))
    settings.STORAGES = {**settings.STORAGES, "evidence": production["STORAGES"]["evidence"]}
    settings.EVIDENCE_X_ACCEL_REDIRECT_PREFIX = "/_protected/s3"
    response = client_for("district_a").get(download_url(document))
    name = document.versions.get().file.name
    target = response["X-Accel-Redirect"]
    assert target.startswith(f"/_protected/s3/http/minio.internal:9000/evidence/{name}?")
    assert "X-Amz-Signature=" in target  # SigV4: AWS refuses SigV2 on new buckets
    assert response.content == b""
