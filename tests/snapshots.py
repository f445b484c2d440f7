"""A picture of everything a write could touch, to prove that a refused request wrote nothing:
reported values, evidence (documents, versions, their indicators, the files themselves),
explanations, meetings, committee decisions, frozen records and evaluation years, each with its
history table, the
catalogue (criteria sets are imported through the portal too), and what an upload or an import
keeps between steps (staged uploads, workbooks being read, receipts of files not yet committed)."""

from pathlib import Path

from common.models import StagedImport, WorkbookReading
from criteria.models import CriteriaSet, Criterion, EvaluationYear, Indicator, Standard
from evaluation.models import CommitteeDecision, DecisionDocument, FrozenRecord, Meeting
from evidence.models import Document, DocumentVersion, Explanation, UncommittedFile
from measurements.models import Measurement

WATCHED = (
    Measurement,
    Document,
    DocumentVersion,
    Explanation,
    Meeting,
    CommitteeDecision,
    DecisionDocument,
    FrozenRecord,
    EvaluationYear,
    CriteriaSet,
    Standard,
    Criterion,
    Indicator,
    StagedImport,
    WorkbookReading,
    UncommittedFile,
)


def watched_models() -> list:
    """The watched models, their history models, and the document ↔ indicator table."""
    models = []
    for model in WATCHED:
        models.append(model)
        if hasattr(model, "history"):
            models.append(model.history.model)
    models.append(Document.indicators.through)
    return models


def database_snapshot(storage: Path | None = None) -> dict[str, list]:
    """Every row of the watched tables (all columns), and the files under `storage`."""
    snapshot: dict[str, list] = {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in watched_models()
    }
    if storage is not None:
        snapshot["files"] = sorted(str(path) for path in storage.rglob("*") if path.is_file())
    return snapshot
