"""Loaded by pytest before Django's settings (see `addopts` in pyproject.toml).

Settings refuse to start without a SECRET_KEY when DEBUG is off; tests run with DEBUG off, so a
test-only key is set here. This is what lets a bare `pytest` work, as well as `make test`.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-server")
