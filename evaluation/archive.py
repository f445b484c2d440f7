"""One evaluation year as a portable archive: `manage.py export_year` and `manage.py import_year`.

What it is for: moving a year to another server, or archiving a closed year on its own. The
production backup is something else — `pg_dump` plus the evidence storage (README, "Backup and
restore"). The format is described in docs/year-archive.md; in short, a zip holding

    year.json              every record of the year (format "hoctap-year", format_version 2)
    files/<stored name>    every evidence file, under its name in the evidence storage

Rows of other tables are named by natural key, never by database id (a user by username, a unit or
a department by code, an indicator by [criteria set code, indicator code]), so an archive can be
imported into another database that has the same catalogue and accounts.

Importing is all or nothing. Before anything is written, the archive is read whole and checked:
its format, that the year holds no data here, that every user, unit and indicator it names exists,
and that every file is there with the size and SHA-256 recorded. Then one transaction writes every
row and its history; files are written to the evidence storage as they come and removed again if
anything fails, so a failed import leaves nothing behind.

The year lock (Measurement.save refuses any write into a year that is not open) is not bypassed:
the year is restored open, filled, and only then given its exported state (locked, usually), in
the same transaction, so no one ever sees it open. Rows are saved without new history records, and
their exported history is written as it was (same dates, same people); the timestamps Django sets
itself (auto_now, auto_now_add) are put back afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from assignments.models import Department, Unit
from criteria.models import EvaluationYear, Indicator
from evidence.models import Document, DocumentVersion, Explanation
from evidence.storage import evidence_storage
from measurements.models import ListItem, Measurement

from .models import CommitteeDecision

FORMAT = "hoctap-year"
FORMAT_VERSION = 2
#: Archives written before version 2 are read too (`_upgrade`).
READABLE_VERSIONS = (1, 2)
DATA_NAME = "year.json"
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024

#: Rows that belong to a year, each kept with its history. (List items and document versions
#: travel inside their entry and their document.)
YEAR_MODELS = (Measurement, CommitteeDecision, Document, Explanation)
SECTIONS = {
    Measurement: "measurements",
    CommitteeDecision: "committee_decisions",
    Document: "documents",
    Explanation: "explanations",
}


class BackupError(Exception):
    """An archive that cannot be written or restored; `messages` are Vietnamese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


# --- Natural keys ------------------------------------------------------------------------------


def _unit_keys() -> Iterable[tuple[int, object]]:
    return Unit.objects.values_list("pk", "code")


def _user_keys() -> Iterable[tuple[int, object]]:
    return User.objects.values_list("pk", "username")


def _department_keys() -> Iterable[tuple[int, object]]:
    return Department.objects.values_list("pk", "code")


def _indicator_keys() -> Iterable[tuple[int, object]]:
    rows = Indicator.objects.values_list("pk", "criterion__standard__criteria_set__code", "code")
    return [(pk, (criteria_set, code)) for pk, criteria_set, code in rows]


#: model → (pk, key) pairs of every row; a key is a string, or a tuple (a list in JSON).
NATURAL_KEYS = {
    User: _user_keys,
    Unit: _unit_keys,
    Department: _department_keys,
    Indicator: _indicator_keys,
}
MISSING = {
    User: "Không có tài khoản «{0}».",
    Unit: "Không có đơn vị mã «{0}».",
    Department: "Không có phòng/đơn vị mã «{0}».",
    Indicator: "Không có chỉ báo «{1}» của bộ tiêu chí «{0}».",
}


class NaturalKeys:
    """Database ids ↔ natural keys of users, units, departments and indicators, read once."""

    def __init__(self) -> None:
        self._by_pk: dict[type, dict[int, object]] = {}
        self._by_key: dict[type, dict[object, int]] = {}
        self.missing: list[str] = []

    def _load(self, model: type) -> None:
        if model not in NATURAL_KEYS:
            raise TypeError(f"No natural key for {model._meta.label}: add one to NATURAL_KEYS.")
        pairs = list(NATURAL_KEYS[model]())
        self._by_pk[model] = dict(pairs)
        self._by_key[model] = {key: pk for pk, key in pairs}

    def key(self, model: type, pk: int | None) -> object:
        """The natural key of a row, as JSON writes it (None for no row)."""
        if pk is None:
            return None
        if model not in self._by_pk:
            self._load(model)
        if pk not in self._by_pk[model]:
            raise BackupError(
                [f"Một bản ghi trỏ tới {model._meta.label} id {pk}, không còn tồn tại."]
            )
        key = self._by_pk[model][pk]
        return list(key) if isinstance(key, tuple) else key

    def pk(self, model: type, key: object) -> int | None:
        """The id of the row a natural key names here; a missing row is noted in `missing`."""
        if key is None:
            return None
        if model not in self._by_key:
            self._load(model)
        hashable = tuple(key) if isinstance(key, list) else key
        pk = self._by_key[model].get(hashable)
        if pk is None:
            parts = hashable if isinstance(hashable, tuple) else (hashable,)
            message = MISSING[model].format(*parts)
            if message not in self.missing:
                self.missing.append(message)
        return pk


# --- Rows as JSON ------------------------------------------------------------------------------


def _json_value(value: object) -> object:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()  # to the microsecond, with the offset
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name
    return value


def _fields(obj: models.Model, keys: NaturalKeys, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of a row but its id (and `skip`), relations as natural keys."""
    skipped = set(skip)
    data: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key or model_field.name in skipped:
            continue
        value = getattr(obj, model_field.attname)
        if model_field.is_relation:
            data[model_field.name] = keys.key(model_field.related_model, value)
        else:
            data[model_field.name] = _json_value(value)
    return data


def _values(
    model: type[models.Model], data: dict[str, Any], keys: NaturalKeys, skip: Iterable[str] = ()
) -> dict[str, Any]:
    """Keyword arguments for `model(...)` from a row's JSON fields."""
    skipped = set(skip)
    known = {
        f.name: f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in skipped
    }
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise BackupError(
            [
                f"Tệp có trường {', '.join(f'«{name}»' for name in unknown)} của "
                f"{model._meta.label_lower} mà phần mềm này không có: hãy cập nhật phần mềm trước."
            ]
        )
    values: dict[str, Any] = {}
    for name, raw in data.items():
        model_field = known[name]
        if model_field.is_relation:
            values[model_field.attname] = keys.pk(model_field.related_model, raw)
        else:
            values[model_field.attname] = None if raw is None else model_field.to_python(raw)
    return values


def _history(obj: models.Model, keys: NaturalKeys, skip: Iterable[str] = ()) -> list[dict]:
    """A row's history records, oldest first, without their own ids."""
    return [
        _fields(record, keys, skip=("id", *skip)) for record in obj.history.order_by("history_id")
    ]


def _record(obj: models.Model, keys: NaturalKeys, skip: Iterable[str] = ()) -> dict[str, Any]:
    return {"fields": _fields(obj, keys, skip), "history": _history(obj, keys, skip)}


# --- Export ------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What an archive holds, for the commands' last line."""

    year: int
    state: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def __str__(self) -> str:
        words = {
            "measurements": "số liệu",
            "list_items": "dòng danh sách",
            "committee_decisions": "quyết định của Ban chỉ đạo",
            "documents": "minh chứng",
            "files": "tệp",
            "explanations": "giải trình",
            "history": "bản ghi lịch sử",
        }
        parts = [f"{self.counts.get(name, 0)} {word}" for name, word in words.items()]
        state = {"open": "đang mở", "locked": "đã khóa"}.get(self.state, self.state)
        return f"năm {self.year} ({state}): " + ", ".join(parts)


def export_year(year: int, path: Path) -> Summary:
    """Write the archive of a year to `path` (through a temporary file: never half a zip)."""
    evaluation_year = EvaluationYear.objects.filter(year=year).first()
    if evaluation_year is None:
        raise BackupError([f"Không có năm đánh giá {year}."])
    keys = NaturalKeys()
    summary = Summary(year, evaluation_year.state)
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            payload = _payload(evaluation_year, keys, summary, archive)
            archive.writestr(DATA_NAME, json.dumps(payload, ensure_ascii=False, indent=1))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _payload(
    evaluation_year: EvaluationYear, keys: NaturalKeys, summary: Summary, archive: zipfile.ZipFile
) -> dict[str, Any]:
    year = evaluation_year.year
    payload: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "year": year,
        "exported_at": timezone.now().isoformat(),
        "evaluation_year": _record(evaluation_year, keys),
    }
    summary.add("history", len(payload["evaluation_year"]["history"]))
    for model, section in SECTIONS.items():
        rows = model.objects.filter(year=year).order_by("pk")
        payload[section] = [_export_row(row, keys, summary, archive) for row in rows]
        summary.add(section, len(payload[section]))
        summary.add("history", sum(len(r["history"]) for r in payload[section]))
    payload["deleted_history"] = _deleted_history(year, keys, summary)
    return payload


def _export_row(
    row: models.Model, keys: NaturalKeys, summary: Summary, archive: zipfile.ZipFile
) -> dict[str, Any]:
    record = _record(row, keys)
    if isinstance(row, Measurement):
        items = list(row.list_items.order_by("pk"))
        record["list_items"] = [_record(item, keys, skip=("measurement",)) for item in items]
        record["deleted_list_items_history"] = [
            _deleted_fields(h, keys, skip=("measurement",))
            for h in ListItem.history.filter(measurement_id=row.pk)
            .exclude(id__in=[item.pk for item in items])
            .order_by("history_id")
        ]
        summary.add("list_items", len(items))
        summary.add("history", sum(len(r["history"]) for r in record["list_items"]))
        summary.add("history", len(record["deleted_list_items_history"]))
    if isinstance(row, Document):
        record["indicators"] = [
            keys.key(Indicator, pk)
            for pk in row.indicators.order_by("pk").values_list("pk", flat=True)
        ]
        record["versions"] = [
            {"fields": _export_version(version, keys, archive)}
            for version in row.versions.order_by("number")
        ]
        summary.add("files", len(record["versions"]))
    return record


def _export_version(
    version: DocumentVersion, keys: NaturalKeys, archive: zipfile.ZipFile
) -> dict[str, Any]:
    """A version's fields; its file goes into the zip, checked against its recorded hash."""
    digest, size = hashlib.sha256(), 0
    try:
        with (
            version.file.open("rb") as source,
            archive.open(FILES_PREFIX + version.file.name, "w", force_zip64=True) as target,
        ):
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
    except OSError as error:
        raise BackupError(
            [f"Không đọc được tệp minh chứng «{version.file.name}» ({version}): {error}."]
        ) from error
    if (digest.hexdigest(), size) != (version.sha256, version.size):
        raise BackupError(
            [
                f"Tệp minh chứng «{version.file.name}» ({version}) không khớp SHA-256 và "
                "kích thước đã ghi: kho minh chứng bị hỏng, chưa xuất được."
            ]
        )
    return _fields(version, keys, skip=("document",))


def _deleted_fields(record: models.Model, keys: NaturalKeys, skip: Iterable[str] = ()) -> dict:
    """A deleted row's history record; "id" is the row's id, positive (a restored archive keeps
    it negative, see `_Restorer._deleted`, so exporting again gives the same archive)."""
    return {**_fields(record, keys, skip), "id": abs(record.id)}


def _deleted_history(year: int, keys: NaturalKeys, summary: Summary) -> dict[str, list[dict]]:
    """History of the year's rows deleted before the export, with the id of the row it was."""
    deleted: dict[str, list[dict]] = {}
    for model in YEAR_MODELS:
        existing = model.objects.filter(year=year).values_list("pk", flat=True)
        records = (
            model.history.filter(year=year).exclude(id__in=list(existing)).order_by("history_id")
        )
        deleted[model._meta.label_lower] = [_deleted_fields(h, keys) for h in records]
        summary.add("history", len(deleted[model._meta.label_lower]))
    return deleted


# --- Import ------------------------------------------------------------------------------------


def import_year(path: Path) -> Summary:
    """Restore an archive into this database; all or nothing (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(
            [f"Không đọc được «{path}»: không phải tệp xuất năm đánh giá (zip có {DATA_NAME})."]
        ) from error
    with archive:
        payload = _read_payload(archive)
        year = payload["year"]
        _check_year_is_empty(year)
        keys = NaturalKeys()
        try:
            _check_references(payload, keys)
            _check_files(payload, archive)
        except (KeyError, TypeError, AttributeError, StopIteration) as error:
            raise BackupError(
                [f"Tệp xuất bị hỏng: {DATA_NAME} không đúng cấu trúc ({error!r}). Chưa nhập gì."]
            ) from error
        state = payload["evaluation_year"]["fields"].get("state", "")
        restorer = _Restorer(archive, keys, Summary(year, state))
        try:
            with transaction.atomic():
                restorer.restore(payload)
        except BaseException:
            restorer.remove_files()
            raise
    return restorer.summary


def _read_payload(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        payload = json.loads(archive.read(DATA_NAME))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise BackupError(
            [f"Tệp không phải là tệp xuất năm đánh giá hợp lệ (thiếu hoặc hỏng {DATA_NAME})."]
        ) from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise BackupError([f"Tệp không phải là tệp xuất năm đánh giá (định dạng «{FORMAT}»)."])
    if payload.get("format_version") not in READABLE_VERSIONS:
        readable = ", ".join(str(version) for version in READABLE_VERSIONS)
        raise BackupError(
            [
                f"Tệp theo định dạng phiên bản {payload.get('format_version')}; phần mềm này đọc "
                f"phiên bản {readable}."
            ]
        )
    year_record = payload.get("evaluation_year")
    if not (
        isinstance(payload.get("year"), int)
        and isinstance(year_record, dict)
        and isinstance(year_record.get("fields"), dict)
        and year_record["fields"].get("year") == payload["year"]
    ):
        raise BackupError([f"Tệp xuất bị hỏng: {DATA_NAME} thiếu năm đánh giá."])
    try:
        return _upgrade(payload)
    except (AttributeError, TypeError) as error:
        raise BackupError(
            [f"Tệp xuất bị hỏng: {DATA_NAME} không đúng cấu trúc ({error!r}). Chưa nhập gì."]
        ) from error


#: Version 1 named the history of deleted rows by the apps the models lived in then.
_V1_LABELS = {
    "evidence.measurement": "measurements.measurement",
    "learningcity.committeedecision": "evaluation.committeedecision",
}


def _upgrade(payload: dict[str, Any]) -> dict[str, Any]:
    """A version 1 archive as version 2 says it: reported values lived in the evidence app and
    decisions in the project package (`deleted_history` is keyed by app), and an entry marked not
    applicable was "approved" with a `not_applicable` flag where it now has a status of its own."""
    if payload["format_version"] != 1:
        return payload
    deleted = payload.get("deleted_history")
    if isinstance(deleted, dict):
        payload["deleted_history"] = {
            _V1_LABELS.get(key, key): rows for key, rows in deleted.items()
        }
    for record in payload.get("measurements", []):
        if not isinstance(record, dict):
            continue
        for fields in [record.get("fields"), *record.get("history", [])]:
            _not_applicable_as_status(fields)
    for fields in payload.get("deleted_history", {}).get("measurements.measurement", []):
        _not_applicable_as_status(fields)
    return payload


def _not_applicable_as_status(fields: object) -> None:
    """Drop the version 1 flag; an entry it marked takes the status "not_applicable"."""
    if isinstance(fields, dict) and fields.pop("not_applicable", False):
        fields["status"] = "not_applicable"


def _check_year_is_empty(year: int) -> None:
    held = [
        f"{count} {word}"
        for model, word in (
            (Measurement, "số liệu"),
            (Document, "minh chứng"),
            (Explanation, "giải trình"),
            (CommitteeDecision, "quyết định"),
        )
        if (count := model.objects.filter(year=year).count())
    ]
    if held:
        raise BackupError(
            [
                f"Năm {year} đã có dữ liệu trong cơ sở dữ liệu này ({', '.join(held)}): chỉ nhập "
                "được vào một năm chưa có dữ liệu. Chưa nhập gì."
            ]
        )


def _walk(payload: dict[str, Any]) -> Iterator[tuple[type[models.Model], dict[str, Any]]]:
    """(model, JSON fields) of every row and history record of the archive."""
    year_record = payload["evaluation_year"]
    yield EvaluationYear, year_record["fields"]
    for history in year_record["history"]:
        yield EvaluationYear.history.model, history
    for model, section in SECTIONS.items():
        for record in payload.get(section, []):
            yield model, record["fields"]
            for history in record["history"]:
                yield model.history.model, history
            for item in record.get("list_items", []):
                yield ListItem, item["fields"]
                for history in item["history"]:
                    yield ListItem.history.model, history
            for history in record.get("deleted_list_items_history", []):
                yield ListItem.history.model, history
            for version in record.get("versions", []):
                yield DocumentVersion, version["fields"]
    for label, records in payload.get("deleted_history", {}).items():
        model = next(m for m in YEAR_MODELS if m._meta.label_lower == label)
        for history in records:
            yield model.history.model, history


def _check_references(payload: dict[str, Any], keys: NaturalKeys) -> None:
    """Every user, unit, department and indicator the archive names exists here."""
    for model, data in _walk(payload):
        for model_field in model._meta.concrete_fields:
            related = model_field.related_model if model_field.is_relation else None
            if related in NATURAL_KEYS and data.get(model_field.name) is not None:
                keys.pk(related, data[model_field.name])
    for record in payload.get("documents", []):
        for key in record.get("indicators", []):
            keys.pk(Indicator, key)
    if keys.missing:
        raise BackupError(
            [*keys.missing, "Hãy tạo các tài khoản và nạp danh mục trước. Chưa nhập gì."]
        )


def _check_files(payload: dict[str, Any], archive: zipfile.ZipFile) -> None:
    """Every version's file is in the archive with its recorded size and SHA-256."""
    problems = []
    for record in payload.get("documents", []):
        for version in record.get("versions", []):
            fields = version["fields"]
            member = FILES_PREFIX + fields["file"]
            try:
                info = archive.getinfo(member)
            except KeyError:
                problems.append(f"Thiếu tệp «{member}» trong tệp xuất.")
                continue
            if info.file_size != fields["size"] or _sha256(archive, member) != fields["sha256"]:
                problems.append(
                    f"Tệp «{member}» không khớp kích thước và SHA-256 đã ghi: tệp xuất bị hỏng "
                    "hoặc đã bị sửa."
                )
    if problems:
        raise BackupError([*problems, "Chưa nhập gì."])


def _sha256(archive: zipfile.ZipFile, member: str) -> str:
    digest = hashlib.sha256()
    with archive.open(member) as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Restorer:
    """Writes a checked archive; remembers the files it stored so a failure can remove them."""

    def __init__(self, archive: zipfile.ZipFile, keys: NaturalKeys, summary: Summary) -> None:
        self.archive = archive
        self.keys = keys
        self.summary = summary
        self.stored: list[str] = []

    def restore(self, payload: dict[str, Any]) -> None:
        try:
            year_row, final = self._open_year(payload["evaluation_year"])
            for model, section in SECTIONS.items():
                for record in payload.get(section, []):
                    self._restore_record(model, record)
                    self.summary.add(section)
            for label, records in payload.get("deleted_history", {}).items():
                model = next(m for m in YEAR_MODELS if m._meta.label_lower == label)
                self._deleted(model, records)
            # Only now, with every row written, does the year take its exported state.
            EvaluationYear.objects.filter(pk=year_row.pk).update(state=final)
        except (
            ValidationError,
            DatabaseError,
            SuspiciousFileOperation,
            OSError,
            KeyError,
            TypeError,
            ValueError,
        ) as error:
            messages = error.messages if isinstance(error, ValidationError) else [repr(error)]
            raise BackupError(
                ["Không ghi được dữ liệu của tệp xuất:", *messages, "Chưa nhập gì."]
            ) from error

    def remove_files(self) -> None:
        storage = evidence_storage()
        for name in self.stored:
            storage.delete(name)

    def _open_year(self, record: dict[str, Any]) -> tuple[EvaluationYear, str]:
        """The year's row, open for the restore (created when this database has none)."""
        values = _values(EvaluationYear, record["fields"], self.keys)
        row = EvaluationYear.objects.filter(year=values["year"]).first()
        if row is None:
            row = EvaluationYear(**{**values, "state": EvaluationYear.State.OPEN})
            row.save_without_historical_record()
        else:
            EvaluationYear.objects.filter(pk=row.pk).update(state=EvaluationYear.State.OPEN)
        self._history(EvaluationYear, row.pk, record["history"])
        return row, values["state"]

    def _restore_record(self, model: type[models.Model], record: dict[str, Any]) -> None:
        row = self._row(model, record["fields"])
        self._history(model, row.pk, record["history"])
        if model is Measurement:
            for item in record.get("list_items", []):
                item_row = self._row(ListItem, item["fields"], measurement=row)
                self._history(ListItem, item_row.pk, item["history"], measurement_id=row.pk)
                self.summary.add("list_items")
            self._deleted(ListItem, record.get("deleted_list_items_history", []), row.pk)
        if model is Document:
            row.indicators.set([self.keys.pk(Indicator, key) for key in record["indicators"]])
            for version in record.get("versions", []):
                self._version(row, version["fields"])

    def _row(self, model: type[models.Model], data: dict[str, Any], **extra: Any) -> models.Model:
        """Save a row as it was exported: checked, without a new history record, with the
        timestamps Django would otherwise set to now put back."""
        values = _values(model, data, self.keys, skip=extra)
        row = model(**values, **extra)
        row.full_clean()
        if hasattr(model, "save_without_historical_record"):
            row.save_without_historical_record()
        else:
            row.save()
        stamps = {
            f.attname: values[f.attname]
            for f in model._meta.concrete_fields
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            and f.attname in values
        }
        if stamps:
            model.objects.filter(pk=row.pk).update(**stamps)
        return row

    def _history(
        self, model: type[models.Model], pk: int, records: list[dict], **extra: Any
    ) -> None:
        history_model = model.history.model
        skip = ["id", *(name.removesuffix("_id") for name in extra)]
        history_model.objects.bulk_create(
            history_model(id=pk, **_values(history_model, data, self.keys, skip=skip), **extra)
            for data in records
        )
        self.summary.add("history", len(records))

    def _deleted(
        self, model: type[models.Model], records: list[dict], measurement_id: int | None = None
    ) -> None:
        """History of rows deleted before the export, under negative ids (no row has one)."""
        history_model = model.history.model
        extra = {} if measurement_id is None else {"measurement_id": measurement_id}
        skip = ["measurement"] if extra else []
        rows = []
        for data in records:
            values = _values(history_model, data, self.keys, skip=skip)
            values["id"] = -abs(values["id"])
            rows.append(history_model(**values, **extra))
        history_model.objects.bulk_create(rows)
        self.summary.add("history", len(records))

    def _version(self, document: Document, data: dict[str, Any]) -> None:
        content = self.archive.read(FILES_PREFIX + data["file"])
        name = evidence_storage().save(data["file"], ContentFile(content))
        self.stored.append(name)
        self._row(DocumentVersion, {**data, "file": name}, document=document)
        self.summary.add("files")
