"""Forms sent without their CSRF token — what another site's page could make a signed-in officer's
browser send. The test client skips the check unless asked, so these clients enforce it: 403, a
Vietnamese page saying the form has expired, and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, YEAR
from tests.evidence.conftest import PDF
from tests.hostile.conftest import page
from tests.measurements.test_imports import exported, filled

pytestmark = pytest.mark.django_db

EXPIRED = "Biểu mẫu đã hết hạn"


def posts(world) -> dict[str, tuple[str, str, dict]]:
    """name → (persona, url, data): a write the persona may make, given a valid token."""
    return {
        "entry": (
            "division",
            reverse("measurements:measurement", args=[YEAR, "HP", "1.1.2"]),
            {"numerator": "56", "denominator": "80", "version": ""},
        ),
        "upload": (
            "district_a",
            reverse("evidence:document_upload", args=[YEAR, "HP-A"]),
            {
                "indicators": [world.indicator("1.1.1").pk],
                "title": "Kế hoạch",
                "file": SimpleUploadedFile("ke-hoach.pdf", PDF),
            },
        ),
        "explanation": (
            "district_a",
            reverse("evidence:explanation", args=[YEAR, "HP-A", "1.1.1"]),
            {"text": "Văn bản đang chờ ký."},
        ),
        "meeting": (
            "committee",
            reverse("evaluation:meeting_new", args=[YEAR]),
            {"kind": "council", "held_on": "15/12/2022"},
        ),
        "import": (
            "division",
            reverse("measurements:import"),
            {
                "file": SimpleUploadedFile(
                    "so-lieu.xlsx", filled(exported(world), {"1.1.2": {"Tử số": 56, "Mẫu số": 80}})
                )
            },
        ),
        "not_applicable": (
            "standing_office",
            reverse("measurements:not_applicable", args=[YEAR, "HP-A", "2.1.3"]),
            {"reason": "Không có xã"},
        ),
    }


@pytest.mark.parametrize(
    "name", ["entry", "upload", "explanation", "meeting", "import", "not_applicable"]
)
def test_a_form_without_its_token_is_refused_and_writes_nothing(
    csrf_client_for, world, unchanged, name
):
    persona, url, data = posts(world)[name]
    with unchanged():
        response = csrf_client_for(persona).post(url, data)
    assert response.status_code == 403
    assert EXPIRED in page(response)


def test_a_forged_token_is_refused(csrf_client_for, world, unchanged):
    persona, url, data = posts(world)["entry"]
    client = csrf_client_for(persona)
    client.cookies["csrftoken"] = "a" * 32
    with unchanged():
        response = client.post(url, {**data, "csrfmiddlewaretoken": "b" * 32})
    assert response.status_code == 403
    assert EXPIRED in page(response)


def test_the_same_form_with_its_token_goes_through(csrf_client_for, world):
    persona, url, data = posts(world)["entry"]
    client = csrf_client_for(persona)
    client.get(url)  # sets the CSRF cookie, as the page does
    response = client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302


def test_a_login_without_its_token_is_refused(world, personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "vanphong", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_logout_without_its_token_keeps_the_session(csrf_client_for, world):
    client = csrf_client_for("division")
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("measurements:my_work")).status_code == 200
