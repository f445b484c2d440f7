# Evidence files of these tests go to a fresh directory too; documents are made as there.
from tests.evidence.conftest import evidence_dir, make_document  # noqa: F401
