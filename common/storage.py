"""Where staged uploads live: the storage named "staging" in settings.STORAGES (see
common/staging.py and the settings)."""

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

STAGING_STORAGE_ALIAS = "staging"


class _StagingStorage(LazyObject):
    """storages["staging"], looked up on first use and again after STORAGES changes (tests)."""

    def _setup(self) -> None:
        self._wrapped = storages[STAGING_STORAGE_ALIAS]


_staging_storage = _StagingStorage()


def staging_storage() -> Storage:
    """The `storage=` callable of StagedImport.file."""
    return _staging_storage


@receiver(setting_changed)
def _reset_staging_storage(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        _staging_storage._wrapped = empty
