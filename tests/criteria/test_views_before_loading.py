"""The public pages before any criteria set is loaded (a module of its own: the other view tests
share a loaded catalogue)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_catalogue_without_any_set_is_404(client):
    assert client.get(reverse("criteria:catalogue")).status_code == 404


def test_an_indicator_without_any_set_is_404(client):
    assert client.get(reverse("criteria:indicator", args=["1.1.1"])).status_code == 404
