"""One evaluation year as a portable archive: `manage.py export_year` and `manage.py import_year`.

What it is for: moving a year to another server, or archiving a closed year on its own. The
production backup is something else — `pg_dump` plus the evidence storage (README, "Backup and
restore"). The format is described in docs/year-archive.md; in short, a zip holding

    year.json              every record of the year (format "hoctap-year", format_version 3)
    signature.json         HMAC-SHA256 of year.json under settings.YEAR_ARCHIVE_KEY
    files/<stored name>    every evidence file, under its name in the evidence storage

year.json records every file's size and SHA-256, so its signature covers the files too.

Rows of other tables are named by natural key, never by database id (a user by username, a unit or
a department by code, an indicator by [criteria set code, indicator code], a plan task by its
number), so an archive can be imported into another database that has the same catalogue and
accounts. The year's own meetings, decisions and frozen records name each other by their id in
the archive (`archive_id`), which the import maps to the ids it creates.

Importing is all or nothing. Before anything is written, the archive is read and checked: its
signature (unless the person running it trusts an unsigned archive), its format, that the year is
absent here or open and empty, that every user, unit and indicator it names exists, and that every
file is there with the size recorded and within the evidence upload limit. Then every file is
streamed out of the zip, checked like an upload (size, SHA-256, content) and stored under a
generated name, each with a receipt committed first (evidence.models.UncommittedFile); then one
transaction writes every row and its history. If anything fails, the stored files and their
receipts are deleted; if the process dies, the receipts are left and the next import (or
`manage.py clear_abandoned_files`) deletes their files.

The year lock (Measurement.save refuses any write into a year that is not open) is not bypassed:
the year is restored open, filled, and only then given its exported state (locked, usually), in
the same transaction, so no one ever sees it open. Rows are saved without new history records, and
their exported history is written as it was (same dates, same people); the timestamps Django sets
itself (auto_now, auto_now_add) are put back afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.db import DatabaseError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from assignments.models import Department, PlanTask, Unit
from criteria.models import EvaluationYear, Indicator, IndicatorPart, Round
from evidence import filetypes, uploads
from evidence.models import Document, DocumentVersion, Explanation, StoredFile
from evidence.services import (
    abandoned_files_clear,
    uncommitted_file_store,
    uncommitted_files_discard,
    uncommitted_files_settle,
)
from measurements.models import ListItem, Measurement, PartValue, ReportedLine

from .models import (
    CommitteeDecision,
    DecisionDocument,
    FrozenRecord,
    Meeting,
    MeetingFile,
    Member,
    ReportNarrative,
)

FORMAT = "hoctap-year"
FORMAT_VERSION = 3
#: Archives written before version 3 are read too (`_upgrade`).
READABLE_VERSIONS = (1, 2, 3)
DATA_NAME = "year.json"
SIGNATURE_NAME = "signature.json"
SIGNATURE_ALGORITHM = "HMAC-SHA256"
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024
#: year.json of the largest year imaginable is a few tens of MB; beyond this it is not one.
MAX_DATA_BYTES = 200 * 1024 * 1024

#: Rows that belong to a year, each kept with its history. (List items and document versions
#: travel inside their entry and their document.)
YEAR_MODELS = (
    Measurement,
    ReportedLine,
    Member,
    Meeting,
    MeetingFile,
    CommitteeDecision,
    DecisionDocument,
    FrozenRecord,
    ReportNarrative,
    Document,
    Explanation,
)
SECTIONS = {
    Measurement: "measurements",
    ReportedLine: "reported_lines",
    Member: "members",
    Meeting: "meetings",
    MeetingFile: "meeting_files",
    CommitteeDecision: "committee_decisions",
    DecisionDocument: "decision_documents",
    FrozenRecord: "frozen_records",
    ReportNarrative: "report_narratives",
    Document: "documents",
    Explanation: "explanations",
}
#: The year's rows that others of the year point at: named by their id in the archive.
LOCAL_KEYS = (Meeting, CommitteeDecision, FrozenRecord)


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


def _task_keys() -> Iterable[tuple[int, object]]:
    return PlanTask.objects.values_list("pk", "number")


def _part_keys() -> Iterable[tuple[int, object]]:
    rows = IndicatorPart.objects.values_list(
        "pk", "indicator__criterion__standard__criteria_set__code", "indicator__code", "code"
    )
    return [(pk, (criteria_set, indicator, code)) for pk, criteria_set, indicator, code in rows]


#: model → (pk, key) pairs of every row; a key is a string, or a tuple (a list in JSON).
NATURAL_KEYS = {
    User: _user_keys,
    Unit: _unit_keys,
    Department: _department_keys,
    Indicator: _indicator_keys,
    IndicatorPart: _part_keys,
    PlanTask: _task_keys,
}
MISSING = {
    User: "Không có tài khoản «{0}».",
    Unit: "Không có đơn vị mã «{0}».",
    Department: "Không có phòng/đơn vị mã «{0}».",
    Indicator: "Không có chỉ báo «{1}» của bộ tiêu chí «{0}».",
    IndicatorPart: "Không có phần «{2}» của chỉ báo «{1}», bộ tiêu chí «{0}».",
    PlanTask: "Không có nhiệm vụ số {0} của kế hoạch.",
}


class NaturalKeys:
    """Database ids ↔ natural keys of users, units, departments and indicators, read once."""

    def __init__(self) -> None:
        self._by_pk: dict[type, dict[int, object]] = {}
        self._by_key: dict[type, dict[object, int]] = {model: {} for model in LOCAL_KEYS}
        self.missing: list[str] = []

    def number(self, model: type, pks: Iterable[int]) -> None:
        """The year's rows of a model, numbered from 1 in the archive (the export's ids)."""
        self._by_pk[model] = {pk: number for number, pk in enumerate(pks, start=1)}

    def remember(self, model: type, archive_id: int, pk: int) -> None:
        """A row of the year restored: its id in the archive now names `pk`."""
        self._by_key[model][archive_id] = pk

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
        if model in LOCAL_KEYS:  # None: a row deleted before the export, named in history
            return self._by_pk[model].get(pk)
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
        if model in LOCAL_KEYS:
            # A row of the year restored before (history may name one deleted before the export).
            return self._by_key[model].get(key)
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
    history = _history(obj, keys, skip) if hasattr(type(obj), "history") else []
    record = {"fields": _fields(obj, keys, skip), "history": history}
    if isinstance(obj, LOCAL_KEYS):
        record["archive_id"] = keys.key(type(obj), obj.pk)
    return record


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
            "part_values": "số liệu từng phần",
            "reported_lines": "dòng báo cáo",
            "rounds": "đợt đánh giá",
            "members": "thành viên Hội đồng, Ban chỉ đạo",
            "meetings": "cuộc họp",
            "meeting_files": "tệp của cuộc họp",
            "committee_decisions": "quyết định của Ban chỉ đạo",
            "decision_documents": "văn bản quyết định đã ban hành",
            "frozen_records": "hồ sơ đã chốt",
            "report_narratives": "nội dung báo cáo",
            "documents": "minh chứng",
            "files": "tệp",
            "explanations": "giải trình",
            "history": "bản ghi lịch sử",
        }
        parts = [
            f"{self.counts.get(name, 0)} {word}"
            for name, word in words.items()
            if name not in _SAID_WHEN_ANY or self.counts.get(name)
        ]
        state = {"open": "đang mở", "locked": "đã khóa"}.get(self.state, self.state)
        return f"năm {self.year} ({state}): " + ", ".join(parts)


#: Counts the summary says only when there are some (few years hold indicators of parts).
_SAID_WHEN_ANY = frozenset(
    {
        "part_values",
        "reported_lines",
        "decision_documents",
        "rounds",
        "members",
        "meeting_files",
        "report_narratives",
    }
)


def export_year(year: int, path: Path) -> Summary:
    """Write the archive of a year to `path` (through a temporary file: never half a zip)."""
    evaluation_year = EvaluationYear.objects.filter(year=year).first()
    if evaluation_year is None:
        raise BackupError([f"Không có năm đánh giá {year}."])
    signing_key = _signing_key()
    keys = NaturalKeys()
    summary = Summary(year, evaluation_year.state)
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            payload = _payload(evaluation_year, keys, summary, archive)
            data = json.dumps(payload, ensure_ascii=False, indent=1).encode()
            archive.writestr(DATA_NAME, data)
            archive.writestr(SIGNATURE_NAME, json.dumps(_signature(data, signing_key), indent=1))
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
    for model in LOCAL_KEYS:
        keys.number(
            model, model.objects.filter(year=year).order_by("pk").values_list("pk", flat=True)
        )
    for model, section in SECTIONS.items():
        rows = model.objects.filter(year=year).order_by("pk")
        payload[section] = [_export_row(row, keys, summary, archive) for row in rows]
        summary.add(section, len(payload[section]))
        summary.add("history", sum(len(r["history"]) for r in payload[section]))
    payload["rounds"] = [
        {
            **_record(round_, keys, skip=("evaluation_year",)),
            "pilots": [keys.key(Unit, unit.pk) for unit in round_.pilots.order_by("code")],
        }
        for round_ in Round.objects.filter(evaluation_year=evaluation_year).order_by("level")
    ]
    summary.add("rounds", len(payload["rounds"]))
    summary.add("history", sum(len(r["history"]) for r in payload["rounds"]))
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
        part_values = list(row.part_values.order_by("pk"))
        record["part_values"] = [_record(v, keys, skip=("measurement",)) for v in part_values]
        summary.add("part_values", len(part_values))
        summary.add("history", sum(len(r["history"]) for r in record["part_values"]))
    if isinstance(row, DecisionDocument | MeetingFile):
        record["fields"] = _export_version(row, keys, archive)
        summary.add("files")
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
    version: StoredFile, keys: NaturalKeys, archive: zipfile.ZipFile
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
        if not hasattr(model, "history"):
            continue  # a frozen record is never deleted
        existing = model.objects.filter(year=year).values_list("pk", flat=True)
        records = (
            model.history.filter(year=year).exclude(id__in=list(existing)).order_by("history_id")
        )
        deleted[model._meta.label_lower] = [_deleted_fields(h, keys) for h in records]
        summary.add("history", len(deleted[model._meta.label_lower]))
    return deleted


# --- Signature ---------------------------------------------------------------------------------


def _signing_key() -> str:
    if not settings.YEAR_ARCHIVE_KEY:
        raise BackupError(
            [
                "Chưa đặt YEAR_ARCHIVE_KEY: tệp xuất phải được ký để máy nhận kiểm được nó. Đặt "
                "cùng một khóa bí mật trên máy xuất và máy nhập (README, «Chuyển một năm đánh giá "
                "sang máy khác»)."
            ]
        )
    return settings.YEAR_ARCHIVE_KEY


def _key_id(key: str) -> str:
    """Names a key without revealing it, so an archive says which key signed it."""
    return hashlib.sha256(f"hoctap-year-archive-key:{key}".encode()).hexdigest()[:16]


def _mac(data: bytes, key: str) -> str:
    return hmac.new(key.encode(), data, hashlib.sha256).hexdigest()


def _signature(data: bytes, key: str) -> dict[str, str]:
    return {
        "algorithm": SIGNATURE_ALGORITHM,
        "signed": DATA_NAME,
        "key_id": _key_id(key),
        "mac": _mac(data, key),
    }


def _verify(archive: zipfile.ZipFile, data: bytes) -> None:
    """The archive is signed, with a key this server has, and year.json is as signed."""
    try:
        info = archive.getinfo(SIGNATURE_NAME)
    except KeyError:
        raise BackupError(
            [
                f"Tệp xuất không có chữ ký ({SIGNATURE_NAME}): không biết nó từ đâu ra. Nếu bạn "
                "tin nguồn của tệp (ví dụ một tệp xuất trước khi có chữ ký), chạy lại với "
                "--trust-unsigned. Chưa nhập gì."
            ]
        ) from None
    try:
        signature = json.loads(archive.read(info)) if info.file_size < 4096 else None
    except (ValueError, zipfile.BadZipFile):
        signature = None
    if not (
        isinstance(signature, dict)
        and signature.get("algorithm") == SIGNATURE_ALGORITHM
        and signature.get("signed") == DATA_NAME
        and isinstance(signature.get("key_id"), str)
        and isinstance(signature.get("mac"), str)
    ):
        raise BackupError([f"Chữ ký của tệp xuất ({SIGNATURE_NAME}) bị hỏng. Chưa nhập gì."])
    keys = [key for key in (settings.YEAR_ARCHIVE_KEY, *settings.YEAR_ARCHIVE_OLD_KEYS) if key]
    key = next((key for key in keys if _key_id(key) == signature["key_id"]), None)
    if key is None:
        raise BackupError(
            [
                f"Tệp xuất được ký bằng một khóa mà máy này không có (mã khóa "
                f"{signature['key_id']}): đặt khóa đó vào YEAR_ARCHIVE_KEY hoặc "
                "YEAR_ARCHIVE_OLD_KEYS, hoặc xuất lại tệp ở máy nguồn. Chưa nhập gì."
            ]
        )
    if not hmac.compare_digest(signature["mac"], _mac(data, key)):
        raise BackupError(
            [
                "Chữ ký không khớp nội dung: tệp xuất đã bị sửa hoặc bị hỏng sau khi xuất. "
                "Chưa nhập gì."
            ]
        )


# --- Import ------------------------------------------------------------------------------------


def import_year(path: Path, *, trust_unsigned: bool = False) -> Summary:
    """Restore an archive into this database; all or nothing (see the module's docstring).
    `trust_unsigned` skips the signature check, for an archive whose origin the person running
    the import vouches for."""
    abandoned_files_clear()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(
            [f"Không đọc được «{path}»: không phải tệp xuất năm đánh giá (zip có {DATA_NAME})."]
        ) from error
    with archive:
        data = _read_data(archive)
        if not trust_unsigned:
            _verify(archive, data)
        payload = _read_payload(data)
        year = payload["year"]
        _check_year_can_take(year)
        keys = NaturalKeys()
        try:
            _check_references(payload, keys)
            _check_files(payload, archive)
        except (KeyError, TypeError, AttributeError, StopIteration) as error:
            raise BackupError(
                [f"Tệp xuất bị hỏng: {DATA_NAME} không đúng cấu trúc ({error!r}). Chưa nhập gì."]
            ) from error
        state = payload["evaluation_year"]["fields"].get("state", "")
        files = _FileStore(archive, year)
        try:
            files.store(payload)
            restorer = _Restorer(keys, Summary(year, state), files.names)
            with transaction.atomic():
                restorer.restore(payload)
        except BaseException:
            uncommitted_files_discard(list(files.names.values()))
            raise
        uncommitted_files_settle(list(files.names.values()))
    return restorer.summary


def _read_data(archive: zipfile.ZipFile) -> bytes:
    """year.json's bytes, read only when its size is that of a year's data."""
    try:
        info = archive.getinfo(DATA_NAME)
        if info.file_size > MAX_DATA_BYTES:
            raise BackupError(
                [f"Tệp xuất có {DATA_NAME} lớn bất thường: không phải tệp xuất năm đánh giá."]
            )
        return archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            [f"Tệp không phải là tệp xuất năm đánh giá hợp lệ (thiếu hoặc hỏng {DATA_NAME})."]
        ) from error


def _read_payload(data: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(data)
    except ValueError as error:
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
    """An archive of an earlier version as version 3 says it."""
    if payload["format_version"] == 1:
        payload = _upgrade_from_1(payload)
    if payload["format_version"] == 2:
        payload = _upgrade_from_2(payload)
    return payload


def _upgrade_from_2(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 2 knew no meetings: a decision held its meeting's date. Each year and date becomes
    a steering committee meeting, as the database migration makes it (evaluation 0004); the
    decisions and their history name it; history of a date no decision holds names none."""
    meetings: dict[str, dict[str, Any]] = {}
    for record in payload.get("committee_decisions", []):
        fields = record["fields"]
        held_on = fields.pop("meeting_date")
        if held_on not in meetings:
            meetings[held_on] = {
                "archive_id": len(meetings) + 1,
                "fields": {
                    "year": payload["year"],
                    "kind": "committee",
                    "held_on": held_on,
                    "place": "",
                    "chaired_by": "",
                    "attendees": "",
                    "agenda": "",
                    "minutes": "",
                    "plan_task": None,
                    "recorded_by": fields["recorded_by"],
                    "recorded_at": fields["recorded_at"],
                },
                "history": [],
            }
        fields["meeting"] = meetings[held_on]["archive_id"]
    history = [
        *(h for record in payload.get("committee_decisions", []) for h in record["history"]),
        *payload.get("deleted_history", {}).get("evaluation.committeedecision", []),
    ]
    for fields in history:
        meeting = meetings.get(fields.pop("meeting_date", None))
        fields["meeting"] = meeting["archive_id"] if meeting else None
    for record in payload.get("committee_decisions", []):
        record["archive_id"] = None  # nothing in a version 2 archive points at a decision
    payload["meetings"] = list(meetings.values())
    payload["frozen_records"] = []
    payload["rounds"] = []  # pilots were a flag of the unit, for no year in particular
    payload["format_version"] = 3
    return payload


def _upgrade_from_1(payload: dict[str, Any]) -> dict[str, Any]:
    """A version 1 archive as version 2 says it: reported values lived in the evidence app and
    decisions in the project package (`deleted_history` is keyed by app), and an entry marked not
    applicable was "approved" with a `not_applicable` flag where it now has a status of its own."""
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
    payload["format_version"] = 2
    return payload


def _not_applicable_as_status(fields: object) -> None:
    """Drop the version 1 flag; an entry it marked takes the status "not_applicable"."""
    if isinstance(fields, dict) and fields.pop("not_applicable", False):
        fields["status"] = "not_applicable"


def _check_year_can_take(year: int) -> None:
    """The year is absent here (it will be created with the archive's state), or open and
    empty; a locked year is never written into."""
    row = EvaluationYear.objects.filter(year=year).first()
    if row is not None and row.state != EvaluationYear.State.OPEN:
        raise BackupError(
            [
                f"Năm {year} ở đây đang ở trạng thái «{row.get_state_display()}»: không nhập vào "
                "một năm đã khóa. Chưa nhập gì."
            ]
        )
    _check_year_is_empty(year)


def _check_year_is_empty(year: int) -> None:
    held = [
        f"{count} {word}"
        for model, word in (
            (Measurement, "số liệu"),
            (Document, "minh chứng"),
            (Explanation, "giải trình"),
            (Meeting, "cuộc họp"),
            (Member, "thành viên Hội đồng, Ban chỉ đạo"),
            (ReportNarrative, "nội dung báo cáo"),
            (CommitteeDecision, "quyết định"),
        )
        if (count := model.objects.filter(year=year).count())
    ]
    if rounds := Round.objects.filter(evaluation_year__year=year).count():
        held.append(f"{rounds} đợt đánh giá")
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
    for record in payload.get("rounds", []):
        yield Round, record["fields"]
        for history in record["history"]:
            yield Round.history.model, history
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
            for value in record.get("part_values", []):
                yield PartValue, value["fields"]
                for history in value["history"]:
                    yield PartValue.history.model, history
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
    for record in payload.get("rounds", []):
        for key in record.get("pilots", []):
            keys.pk(Unit, key)
    if keys.missing:
        raise BackupError(
            [*keys.missing, "Hãy tạo các tài khoản và nạp danh mục trước. Chưa nhập gì."]
        )


def _versions(payload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The fields of every row that carries a file: the documents' versions, the signed
    decisions, the meetings' files."""
    for record in payload.get("documents", []):
        for version in record.get("versions", []):
            yield version["fields"]
    for section in ("decision_documents", "meeting_files"):
        for record in payload.get(section, []):
            yield record["fields"]


def _check_files(payload: dict[str, Any], archive: zipfile.ZipFile) -> None:
    """Every version's file is in the archive, with the size its version records and within the
    evidence upload limit: a member that would inflate beyond is refused before it is read."""
    problems = []
    limit = uploads.max_upload_bytes()
    for fields in _versions(payload):
        member = FILES_PREFIX + fields["file"]
        try:
            info = archive.getinfo(member)
        except KeyError:
            problems.append(f"Thiếu tệp «{member}» trong tệp xuất.")
            continue
        if info.file_size != fields["size"]:
            problems.append(
                f"Tệp «{member}» có kích thước {info.file_size} byte, khác {fields['size']} byte "
                "đã ghi: tệp xuất bị hỏng hoặc đã bị sửa."
            )
        elif info.file_size > limit:
            problems.append(
                f"Tệp «{member}» lớn hơn giới hạn {uploads.format_size(limit)} của một minh "
                "chứng (EVIDENCE_MAX_UPLOAD_BYTES)."
            )
    if problems:
        raise BackupError([*problems, "Chưa nhập gì."])


class _FileStore:
    """Streams each version's file out of the archive into a temporary file, checks it as an
    upload is checked (its size and SHA-256 against the version, its content against its type)
    and stores it under a generated name with a receipt (evidence/services.py). Every problem is
    listed; once one is found, nothing more is stored."""

    def __init__(self, archive: zipfile.ZipFile, year: int) -> None:
        self.archive = archive
        self.year = year
        #: archived name → stored name, of the files stored so far
        self.names: dict[str, str] = {}

    def store(self, payload: dict[str, Any]) -> None:
        problems: list[str] = []
        for fields in _versions(payload):
            member = FILES_PREFIX + fields["file"]
            with tempfile.TemporaryFile() as temporary:
                problem = self._extract(member, fields, temporary)
                if problem is None:
                    file = File(temporary, name=fields["original_name"])
                    problem = self._check_content(member, fields, file)
                if problem is not None:
                    problems.append(problem)
                elif not problems:
                    extension = Path(fields["file"]).suffix.lower()
                    self.names[fields["file"]] = uncommitted_file_store(file, self.year, extension)
        if problems:
            raise BackupError([*problems, "Chưa nhập gì."])

    def _extract(self, member: str, fields: dict[str, Any], temporary: Any) -> str | None:
        """The member written to `temporary`, never beyond its recorded size; a problem, or
        None when its bytes are those the version records."""
        digest, size = hashlib.sha256(), 0
        try:
            with self.archive.open(member) as source:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > fields["size"]:
                        break
                    digest.update(chunk)
                    temporary.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            size = -1  # zipfile checks the CRC: the member is damaged
        temporary.seek(0)
        if (size, digest.hexdigest()) != (fields["size"], fields["sha256"]):
            return (
                f"Tệp «{member}» không khớp kích thước và SHA-256 đã ghi: tệp xuất bị hỏng hoặc "
                "đã bị sửa."
            )
        return None

    def _check_content(self, member: str, fields: dict[str, Any], file: File) -> str | None:
        extension = Path(fields["file"]).suffix.lower()
        if extension not in filetypes.ALLOWED_TYPES:
            return f"Tệp «{member}» có phần mở rộng «{extension}» không được nhận làm minh chứng."
        try:
            content_type = uploads.check_content(file, fields["original_name"], extension)
        except filetypes.UploadRefused as error:
            return f"Tệp «{member}»: {' '.join(error.messages)}"
        if content_type != fields["content_type"]:
            return (
                f"Tệp «{member}» có nội dung {filetypes.TYPE_NAMES[content_type]}, khác loại "
                f"«{fields['content_type']}» đã ghi."
            )
        return None


class _Restorer:
    """Writes the rows of a checked archive whose files are stored (`names`: archived name →
    stored name)."""

    def __init__(self, keys: NaturalKeys, summary: Summary, names: dict[str, str]) -> None:
        self.keys = keys
        self.summary = summary
        self.names = names

    def restore(self, payload: dict[str, Any]) -> None:
        try:
            year_row, final = self._open_year(payload["evaluation_year"])
            for record in payload.get("rounds", []):
                self._round(year_row, record)
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

    def _round(self, year: EvaluationYear, record: dict[str, Any]) -> None:
        """A round of the year, its history and its pilot districts."""
        row = self._row(Round, record["fields"], evaluation_year=year)
        self._history(Round, row.pk, record["history"], evaluation_year_id=year.pk)
        row.pilots.set([self.keys.pk(Unit, key) for key in record.get("pilots", [])])
        self.summary.add("rounds")

    def _restore_record(self, model: type[models.Model], record: dict[str, Any]) -> None:
        fields = record["fields"]
        if model is DecisionDocument or model is MeetingFile:
            fields = {**fields, "file": self.names[fields["file"]]}
        row = self._row(model, fields)
        if model in LOCAL_KEYS and record.get("archive_id") is not None:
            self.keys.remember(model, record["archive_id"], row.pk)
        if hasattr(model, "history"):
            self._history(model, row.pk, record["history"])
        if model is Measurement:
            for item in record.get("list_items", []):
                item_row = self._row(ListItem, item["fields"], measurement=row)
                self._history(ListItem, item_row.pk, item["history"], measurement_id=row.pk)
                self.summary.add("list_items")
            self._deleted(ListItem, record.get("deleted_list_items_history", []), row.pk)
            for value in record.get("part_values", []):
                value_row = self._row(PartValue, value["fields"], measurement=row)
                self._history(PartValue, value_row.pk, value["history"], measurement_id=row.pk)
                self.summary.add("part_values")
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
        self._row(DocumentVersion, {**data, "file": self.names[data["file"]]}, document=document)
        self.summary.add("files")
