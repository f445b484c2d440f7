"""Shared fixtures for the whole suite (personas are added here as the portal grows)."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests do not run collectstatic, so they use the plain storage instead of the manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
