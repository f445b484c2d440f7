"""manage.py export_year and import_year (evaluation/archive.py): a year with data of every kind
goes out to a zip and comes back exactly — every column, every history record, every file and its
SHA-256 — and a refused import (a year with data, a missing account or indicator, a damaged file, a
failure half-way) leaves the database and the evidence storage as they were. And a hostile
archive (issue 16.5): unsigned or altered, a locked target year, a member larger than an upload
or lying about its size, a program disguised as a PDF, a name reaching outside the storage, an
import killed half-way."""

import hashlib
import hmac
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assignments.administration.services import round_save
from assignments.models import PlanTask
from assignments.permissions import actor_for
from criteria.models import EvaluationYear, Indicator, IndicatorPart, ListSource, Round
from evaluation import archive as archive_module
from evaluation import services as decisions
from evaluation.archive import FORMAT_VERSION
from evaluation.models import (
    CommitteeDecision,
    DecisionDocument,
    FrozenRecord,
    Meeting,
    MeetingFile,
    Member,
    ReportNarrative,
)
from evidence import services as evidence_services
from evidence.models import Document, DocumentVersion, Explanation, UncommittedFile
from evidence.services import DocumentMetadata
from measurements import services
from measurements.models import ListItem, Measurement, PartValue, ReportedLine
from measurements.services import MeasurementData, PartFigures
from tests.conftest import YEAR
from tests.evidence.conftest import EXE, PDF, PDF_V2, raw_file
from tests.factories import assign, make_indicator, make_meeting
from tests.hostile.workbook_bombs import forge_declared_size
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db

YEAR_MODELS = (
    Measurement,
    ReportedLine,
    Document,
    Explanation,
    Member,
    Meeting,
    MeetingFile,
    CommitteeDecision,
    DecisionDocument,
    FrozenRecord,
    ReportNarrative,
)
KEY = "khoa-bi-mat-dung-chung-cua-hai-may-chu"
#: Stored names are generated: evidence/<year>/<32 hex digits>.<extension>.
GENERATED_NAME = re.compile(rf"evidence/{YEAR}/[0-9a-f]{{32}}\.pdf")


@pytest.fixture(autouse=True)
def archive_key(settings) -> str:
    settings.YEAR_ARCHIVE_KEY = KEY
    settings.YEAR_ARCHIVE_OLD_KEYS = []
    return KEY


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path) -> Path:
    location = tmp_path / "evidence-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


# --- A year with data of every kind ------------------------------------------------------------


@pytest.fixture
def year_data(world, personas):
    """2022, then locked: values in every status with several versions by different people, a
    list, an entry deleted while the year was open, a decision changed once and its signed
    decision attached, two documents (one replaced and approved, one withdrawn), an
    explanation. And 2021, which must stay untouched."""
    p = {name: (user, actor_for(user)) for name, user in personas.items()}

    def save(persona, code, unit, submit=False, **data):
        user, actor = p[persona]
        entry = Measurement.objects.filter(indicator=world.indicator(code), unit=unit, year=YEAR)
        version = entry.values_list("version", flat=True).first()
        return services.measurement_save(
            actor=actor,
            user=user,
            indicator=world.indicator(code),
            unit=unit,
            year=YEAR,
            data=MeasurementData(**data),
            expected_version=version,
            submit=submit,
        )

    office, office_actor = p["standing_office"]
    share = save("division", "1.1.2", world.city, numerator=50, denominator=80, note="Bản nháp")
    share = save("division", "1.1.2", world.city, True, numerator=56, denominator=80)
    services.measurement_return(
        actor=office_actor,
        user=office,
        measurement=share,
        comment="Sửa",
        seen_version=share.version,
    )
    share = save("division", "1.1.2", world.city, True, numerator=57, denominator=80)
    services.measurement_approve(
        actor=office_actor, user=office, measurement=share, seen_version=share.version
    )
    save("district_a", "2.1.3", world.district_a, True, value=Decimal("0.012345"))
    save("standing_office", "2.1.1", world.city, value=Decimal("1.8"), previous=Decimal("3.3"))
    listed = save("standing_office", "2.1.2", world.city, value=Decimal(12), previous=Decimal(10))
    for position, name in enumerate(["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ"], start=1):
        ListItem.objects.create(
            measurement=listed, position=position, name=name, score=Decimal("85.50")
        )
    ListItem.objects.get(name="Sở Y tế").delete()
    save("district_b", "2.1.3", world.district_b, value=Decimal("0.01")).delete()
    summed = make_indicator(
        world.indicator("2.1.3").criterion,
        "2.1.4",
        kind="rate_below",
        threshold="0.05",
        list_source=ListSource.REPORTED_LINES,
    )
    assign(summed, world.office_a)
    line = services.reported_line_save(  # the standing office, for district A's office
        actor=office_actor,
        user=office,
        indicator=summed,
        unit=world.city,
        year=YEAR,
        department=world.office_a,
        data=services.LineData(3, 20000, "Báo cáo quận A"),
        expected_version=None,
        submit=True,
    )
    services.reported_line_review(
        actor=office_actor, user=office, line=line, approve=True, seen_version=line.version
    )

    council = make_meeting(YEAR, personas["committee"], date(2022, 12, 15), Meeting.Kind.COUNCIL)
    decisions.decision_record(
        actor=actor_for(personas["committee"]),
        unit=world.city,
        year=YEAR,
        user=personas["committee"],
        data={"meeting": council, "decision": "not_recognized", "note": "Chờ"},
    )
    decisions.decision_record(
        actor=actor_for(office),
        unit=world.city,
        year=YEAR,
        user=office,
        data={
            "meeting": make_meeting(YEAR, office),
            "decision": "recognized",
            "number": "12/QĐ",
        },
        instance=CommitteeDecision.objects.get(),
    )
    for title, content in (("Biên bản họp", PDF), ("Biên bản đã ký", PDF_V2)):
        decisions.meeting_file_attach(
            actor=actor_for(office),
            user=office,
            meeting=council,
            kind="minutes",
            title=title,
            file=raw_file("bien-ban.pdf", content),
        )
    decisions.meeting_file_remove(  # kept by mistake: its history travels
        actor=actor_for(office), user=office, meeting_file=MeetingFile.objects.first()
    )
    for results in ("Bản nháp", "Hoàn thành kế hoạch năm."):  # written, then corrected
        decisions.narrative_save(
            actor=actor_for(office),
            user=office,
            unit=world.city,
            year=YEAR,
            data={"results": results, "recommendations": "Nhân rộng mô hình."},
        )
    decisions.member_add(
        actor=actor_for(office),
        user=office,
        year=YEAR,
        data={"body": "council", "role": "chair", "name": "Nguyễn Văn A", "user": None},
    )
    decisions.decision_document_attach(
        actor=actor_for(office),
        user=office,
        decision=CommitteeDecision.objects.get(),
        data={
            "number": "1234/QĐ-UBND",
            "issued_on": date(2022, 12, 28),
            "issuer": "UBND thành phố Hải Phòng",
            "signer": "Nguyễn Văn A",
        },
        file=raw_file("quyet-dinh.pdf", PDF_V2),
    )

    user_a, actor_a = p["district_a"]
    plan = evidence_services.document_upload(
        actor=actor_a,
        user=user_a,
        unit=world.district_a,
        year=YEAR,
        indicators=[world.indicator("1.1.1")],
        metadata=DocumentMetadata(title="Kế hoạch", number="254/KH-UBND", issuer="UBND quận"),
        file=raw_file("Kế hoạch.pdf", PDF),
    )
    evidence_services.document_replace(
        actor=actor_a, user=user_a, document=plan, file=raw_file("ke-hoach-ky.pdf", PDF_V2)
    )
    evidence_services.document_approve(
        actor=office_actor, user=office, document=plan, seen_version=2
    )
    wrong = evidence_services.document_upload(
        actor=office_actor,
        user=office,
        unit=world.city,
        year=YEAR,
        indicators=[world.indicator("1.1.1"), world.indicator("1.1.2")],
        metadata=DocumentMetadata(title="Tải nhầm"),
        file=raw_file("nham.pdf", PDF + b"%nham"),
    )
    evidence_services.document_withdraw(
        actor=office_actor, user=office, document=wrong, reason="Tải nhầm tệp"
    )
    evidence_services.explanation_save(
        actor=actor_a,
        user=user_a,
        unit=world.district_a,
        year=YEAR,
        indicator=world.indicator("2.1.3"),
        text="Số liệu của Chi cục Thống kê chưa công bố.",
    )

    year = EvaluationYear.objects.get(year=YEAR)
    for due_on in (date(2022, 11, 30), date(2022, 11, 25)):  # set, then corrected
        round_save(
            by=office,
            year=year,
            level="district",
            calendar={"due_on": due_on, "committee_on": date(2022, 12, 20)},
            pilot_ids=[world.district_a.pk],
        )
    year.state = EvaluationYear.State.LOCKED
    year.save()

    last_year = EvaluationYear.objects.create(year=YEAR - 1)
    Measurement.objects.create(
        indicator=world.indicator("2.1.2"), unit=world.city, year=YEAR - 1, value=10
    )
    last_year.state = EvaluationYear.State.LOCKED
    last_year.save()


# --- A picture of a year, by natural keys ------------------------------------------------------


def _identities() -> dict:
    """For every row a picture may point at: its identity independent of database ids."""
    measurements = {
        h.id: (h.indicator.code, h.unit.code, h.year)
        for h in Measurement.history.select_related("indicator", "unit")
    }
    return {
        User: dict(User.objects.values_list("pk", "username")),
        Indicator: dict(Indicator.objects.values_list("pk", "code")),
        Measurement: measurements,
        Document: {h.id: (h.unit_id, h.title, h.created_at) for h in Document.history.all()},
        Meeting: {h.id: (h.kind, h.held_on) for h in Meeting.history.all()},
        CommitteeDecision: {h.id: (h.unit_id, h.year) for h in CommitteeDecision.history.all()},
        FrozenRecord: {r.pk: (r.unit_id, r.frozen_at) for r in FrozenRecord.objects.all()},
        PlanTask: dict(PlanTask.objects.values_list("pk", "number")),
        **{model: {} for model in (EvaluationYear, Explanation, ListItem)},
    }


def _plain(row: object, ids: dict, skip: tuple[str, ...] = ()) -> dict:
    values = {}
    for field in row._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        value = getattr(row, field.attname)
        related = field.related_model if field.is_relation else None
        if related in ids:
            value = ids[related].get(value, value)
        elif related is not None:  # a unit
            value = related.objects.get(pk=value).code if value is not None else None
        values[field.name] = str(value) if hasattr(value, "name") else value
    return values


def picture(year: int, storage: Path) -> dict:
    """Every row of the year and its history, with ids replaced by what they stand for, and the
    SHA-256 of every stored file."""
    ids = _identities()
    seen = {}
    rows = {
        "year": [_plain(y, ids) for y in EvaluationYear.objects.filter(year=year)],
        "year_history": [
            _plain(h, ids, ("id",))
            for h in EvaluationYear.history.filter(year=year).order_by("history_id")
        ],
        "rounds": [
            {
                "row": _plain(r, ids, ("evaluation_year",)),
                "history": [
                    _plain(h, ids, ("id", "evaluation_year"))
                    for h in r.history.order_by("history_id")
                ],
                "pilots": [u.code for u in r.pilots.order_by("code")],
            }
            for r in Round.objects.filter(evaluation_year__year=year).order_by("level")
        ],
    }
    for model in YEAR_MODELS:
        current = model.objects.filter(year=year).order_by("pk")
        kept = hasattr(model, "history")
        # Stored names are new on every import: the content and its hash are what must come back.
        stored = ("file",) if model in (DecisionDocument, MeetingFile) else ()
        rows[model.__name__] = [
            {
                "row": _plain(row, ids, stored),
                "history": [
                    _plain(h, ids, ("id", *stored)) for h in row.history.order_by("history_id")
                ]
                if kept
                else [],
            }
            for row in current
        ]
        seen[model] = [row.pk for row in current]
        if not kept:
            continue
        rows[f"deleted {model.__name__}"] = [
            _plain(h, ids, ("id",))
            for h in model.history.filter(year=year)
            .exclude(id__in=seen[model])
            .order_by("history_id")
        ]
    items = ListItem.objects.filter(measurement_id__in=seen[Measurement]).order_by("pk")
    rows["list items"] = [_plain(item, ids) for item in items]
    rows["list item history"] = [  # each item's in order; items' records by their dates
        _plain(h, ids, ("id",))
        for h in ListItem.history.filter(measurement_id__in=seen[Measurement]).order_by(
            "history_date", "history_id"
        )
    ]
    versions = DocumentVersion.objects.filter(document__year=year).order_by(
        "document__created_at", "number"
    )
    # Stored names are new on every import: the content and its hash are what must come back.
    rows["versions"] = [{**_plain(v, ids), "file": "…"} for v in versions]
    rows["document indicators"] = [
        sorted(d.indicators.values_list("code", flat=True))
        for d in Document.objects.filter(year=year).order_by("pk")
    ]
    # Every file a row of the year names, by its content (a removed meeting file's, which only
    # its history names, stays on the exporting server: the archive does not carry it).
    named = [
        *DocumentVersion.objects.filter(document__year=year).values_list("file", flat=True),
        *DecisionDocument.objects.filter(year=year).values_list("file", flat=True),
        *MeetingFile.objects.filter(year=year).values_list("file", flat=True),
    ]
    rows["files"] = sorted(
        hashlib.sha256((storage / name).read_bytes()).hexdigest() for name in named
    )
    return rows


def wipe(year: int, storage: Path) -> None:
    """Remove every trace of the year, as if the database and the storage had never held it."""
    old_entries = list(Measurement.history.filter(year=year).values_list("id", flat=True))
    ListItem.history.filter(measurement_id__in=old_entries).delete()
    DocumentVersion.objects.filter(document__year=year).delete()
    for pk in FrozenRecord.objects.filter(year=year).order_by("-pk").values_list("pk", flat=True):
        FrozenRecord.objects.filter(pk=pk).delete()  # each before the one it replaces
    rounds = Round.objects.filter(evaluation_year__year=year)
    Round.history.filter(id__in=list(rounds.values_list("pk", flat=True))).delete()
    for round_ in rounds:
        round_.pilots.clear()
    rounds.delete()
    for model in (*reversed(YEAR_MODELS), EvaluationYear):  # rows pointed at last
        model.objects.filter(year=year).delete()
        if hasattr(model, "history"):
            model.history.filter(year=year).delete()
    for path in storage.rglob("*"):
        if path.is_file() and f"/{year}/" in str(path):
            path.unlink()


def export(path: Path, year: int = YEAR) -> str:
    out = io.StringIO()
    call_command("export_year", "--year", str(year), str(path), stdout=out)
    return out.getvalue()


def restore(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("import_year", str(path), *options, stdout=out)
    return out.getvalue()


def payload(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("year.json"))
    data.pop("exported_at")
    return data


def comparable(path: Path) -> dict:
    """year.json without what differs between two exports of one year: the time, stored names."""
    data = payload(path)
    for document in data["documents"]:
        for version in document["versions"]:
            version["fields"]["file"] = "…"
    for record in (*data["decision_documents"], *data["meeting_files"]):
        for fields in (record["fields"], *record["history"]):
            fields["file"] = "…"
    for record in data["deleted_history"]["evaluation.meetingfile"]:
        record["file"] = "…"
    return data


# --- The round trip ----------------------------------------------------------------------------


def test_a_year_comes_back_exactly_hashes_and_history_included(year_data, evidence_dir, tmp_path):
    before = picture(YEAR, evidence_dir)
    last_year = picture(YEAR - 1, evidence_dir)
    path = tmp_path / "nam-2022.zip"
    export(path)
    wipe(YEAR, evidence_dir)
    assert picture(YEAR, evidence_dir)["Measurement"] == []

    restore(path)

    assert picture(YEAR, evidence_dir) == before
    assert picture(YEAR - 1, evidence_dir) == last_year
    export(again := tmp_path / "lan-2.zip")
    assert comparable(again) == comparable(path)
    stored = list(DocumentVersion.objects.values_list("file", flat=True))
    assert len(stored) == 3
    assert all(GENERATED_NAME.fullmatch(name) for name in stored)
    with zipfile.ZipFile(path) as archive:
        assert not set(stored) & {name.removeprefix("files/") for name in archive.namelist()}


def test_the_restored_year_is_locked_like_the_exported_one(year_data, evidence_dir, tmp_path):
    export(path := tmp_path / "nam-2022.zip")
    wipe(YEAR, evidence_dir)
    restore(path)
    assert EvaluationYear.objects.get(year=YEAR).state == EvaluationYear.State.LOCKED
    entry = Measurement.objects.get(indicator__code="1.1.2", year=YEAR)
    with pytest.raises(ValidationError):
        entry.save()


def test_the_archive_is_documented_json_with_the_files_and_their_hashes(year_data, tmp_path):
    output = export(path := tmp_path / "nam-2022.zip")
    data = payload(path)
    assert (data["format"], data["format_version"], data["year"]) == ("hoctap-year", 3, YEAR)
    share = next(m for m in data["measurements"] if m["fields"]["indicator"][1] == "1.1.2")
    assert share["fields"]["indicator"] == ["hp-test", "1.1.2"]
    assert share["fields"]["unit"] == "HP"
    assert share["fields"]["reviewed_by"] == "thuongtruc"
    assert [h["history_user"] for h in share["history"]] == [
        "vanphong",
        "vanphong",
        "thuongtruc",
        "vanphong",
        "thuongtruc",
    ]
    plan = next(d for d in data["documents"] if d["fields"]["title"] == "Kế hoạch")
    with zipfile.ZipFile(path) as archive:
        for version, content in zip(plan["versions"], (PDF, PDF_V2), strict=True):
            member = archive.read("files/" + version["fields"]["file"])
            assert member == content
            assert version["fields"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert (
        "Đã xuất năm 2022 (đã khóa): 4 số liệu, 2 dòng danh sách, 1 dòng báo cáo, 1 đợt đánh "
        "giá, 1 thành viên Hội đồng, Ban chỉ đạo, 2 cuộc họp, 1 tệp của cuộc họp, 1 quyết định "
        "của Ban chỉ đạo, 1 văn bản quyết định đã ban hành, 2 hồ sơ đã chốt, 1 nội dung báo cáo"
        in output
    )


# --- Refusals: all or nothing ------------------------------------------------------------------


def refused(path: Path, evidence_dir: Path, message: str, *options: str) -> None:
    before = database_snapshot(evidence_dir)
    with pytest.raises(CommandError, match=re.escape(message)):
        restore(path, *options)
    assert database_snapshot(evidence_dir) == before


def test_a_year_that_holds_data_is_refused(year_data, evidence_dir, tmp_path):
    export(path := tmp_path / "nam-2022.zip")
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.OPEN)
    refused(path, evidence_dir, "Năm 2022 đã có dữ liệu trong cơ sở dữ liệu này")


def test_a_missing_account_or_indicator_is_named(year_data, evidence_dir, tmp_path):
    export(path := tmp_path / "nam-2022.zip")
    wipe(YEAR, evidence_dir)
    User.objects.filter(username="pgd_a").update(username="pgd_a_cu")
    Indicator.objects.filter(code="2.1.3").update(code="2.1.9")
    refused(path, evidence_dir, "Không có tài khoản «pgd_a».")
    with pytest.raises(
        CommandError, match=re.escape("Không có chỉ báo «2.1.3» của bộ tiêu chí «hp-test».")
    ):
        restore(path)


def _tampered(path: Path, member_suffix: str, content: bytes) -> Path:
    target = path.with_name("sua-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info, content if info.filename.endswith(member_suffix) else data)
    return target


def test_a_file_that_does_not_match_its_hash_is_refused(year_data, evidence_dir, tmp_path):
    export(path := tmp_path / "nam-2022.zip")
    version = DocumentVersion.objects.get(number=2)
    wipe(YEAR, evidence_dir)
    tampered = _tampered(path, version.file.name, PDF_V2[:-1] + b"X")
    refused(tampered, evidence_dir, "không khớp kích thước và SHA-256 đã ghi")


def test_a_failure_half_way_leaves_no_row_and_no_file(
    year_data, evidence_dir, tmp_path, monkeypatch
):
    export(path := tmp_path / "nam-2022.zip")
    wipe(YEAR, evidence_dir)

    def fail(self, *args, **kwargs):
        raise ValidationError("Lỗi giả lập khi ghi giải trình.")

    monkeypatch.setattr(Explanation, "full_clean", fail)
    refused(path, evidence_dir, "Lỗi giả lập khi ghi giải trình.")
    assert not list(evidence_dir.rglob("*.pdf"))
    assert not EvaluationYear.objects.filter(year=YEAR).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "không phải tệp xuất năm đánh giá"),
        (
            {"format": "hoctap-year", "format_version": FORMAT_VERSION + 1},
            "phiên bản 4; phần mềm này đọc phiên bản 1, 2, 3",
        ),
        ({"format": "something-else"}, "không phải là tệp xuất năm đánh giá"),
        (
            {
                "format": "hoctap-year",
                "format_version": FORMAT_VERSION,
                "year": 2030,
                "evaluation_year": {"fields": {"year": 2030, "state": "open"}, "history": []},
                "measurements": [{"values": {}}],
            },
            "không đúng cấu trúc",
        ),
    ],
)
def test_a_file_that_is_not_an_archive_of_this_format_is_refused(
    world, evidence_dir, tmp_path, content, message
):
    path = tmp_path / "nam.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("year.json", json.dumps(content))
    refused(path, evidence_dir, message, "--trust-unsigned")


def test_exporting_a_year_that_does_not_exist_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match=re.escape("Không có năm đánh giá 2031.")):
        export(tmp_path / "nam-2031.zip", 2031)
    assert not list(tmp_path.glob("*.zip*"))


def test_an_evidence_file_damaged_in_storage_stops_the_export(year_data, evidence_dir, tmp_path):
    version = DocumentVersion.objects.get(number=2)
    (evidence_dir / version.file.name).write_bytes(b"%PDF-1.7 hong")
    with pytest.raises(CommandError, match=re.escape("kho minh chứng bị hỏng")):
        export(tmp_path / "nam-2022.zip")
    assert not list(tmp_path.glob("*.zip*"))


def test_an_import_into_a_year_opened_but_empty_keeps_its_row(year_data, evidence_dir, tmp_path):
    export(path := tmp_path / "nam-2022.zip")
    wipe(YEAR, evidence_dir)
    EvaluationYear.objects.create(year=YEAR)  # e.g. from the catalogue fixture
    restore(path)
    assert EvaluationYear.objects.get(year=YEAR).state == EvaluationYear.State.LOCKED
    assert Measurement.objects.filter(year=YEAR).count() == 4


# --- Archives written by earlier versions of the portal ---------------------------------------

#: Written by `export_year` at the old layout (commit d783e5f, format version 1) from `year_data`
#: with 1.1.1 of HP-B then marked not applicable: values in the evidence app, decisions in the
#: project package, "not applicable" a flag on an approved value. Its three files were stand-ins
#: that only began like PDFs; when uploads began to be parsed (issue 16.10) they were replaced by
#: genuine PDFs carrying the old bytes as a comment, their hashes and sizes in year.json with them.
V1_ARCHIVE = Path(__file__).parent / "archives" / "year-2022-v1.zip"


def test_an_archive_written_before_the_apps_moved_is_read(world, personas, evidence_dir):
    """Written before archives were signed: imported when the person vouches for it."""
    refused(V1_ARCHIVE, evidence_dir, "Tệp xuất không có chữ ký (signature.json)")
    assert "Không kiểm chữ ký" in restore(V1_ARCHIVE, "--trust-unsigned")

    island = Measurement.objects.get(unit=world.district_b, indicator__code="1.1.1")
    assert (island.status, island.not_applicable_reason) == (
        "not_applicable",
        "Huyện đảo không có xã",
    )
    assert island.history.first().status == "not_applicable"
    statuses = dict(Measurement.objects.values_list("indicator__code", "status"))
    assert statuses == {
        "1.1.1": "not_applicable",
        "1.1.2": "approved",
        "2.1.1": "draft",
        "2.1.2": "draft",
        "2.1.3": "submitted",
    }
    deleted = Measurement.history.filter(id__lt=0)
    assert {(h.indicator.code, h.unit.code, h.history_type) for h in deleted} == {
        ("2.1.3", "HP-B", "+"),
        ("2.1.3", "HP-B", "-"),
    }
    assert CommitteeDecision.history.count() == 2
    # Written before meetings were kept: the decision's date became a committee meeting.
    decision = CommitteeDecision.objects.get()
    assert (decision.meeting.kind, decision.meeting.held_on) == ("committee", date(2022, 12, 20))
    # Its latest history record names that meeting; an earlier one, of another date, none.
    latest, earlier = CommitteeDecision.history.all()
    assert (latest.meeting_id, earlier.meeting_id) == (decision.meeting.pk, None)
    assert Document.objects.count() == 2
    assert DocumentVersion.objects.count() == 3
    assert EvaluationYear.objects.get(year=YEAR).state == EvaluationYear.State.LOCKED


@pytest.mark.parametrize(
    "damage",
    [
        {"deleted_history": {"evidence.measurement": "not a list"}},
        {"measurements": [{"fields": {}, "history": 5}]},
    ],
)
def test_a_damaged_version_1_archive_is_refused_clearly(world, personas, evidence_dir, damage):
    with zipfile.ZipFile(V1_ARCHIVE) as original:
        payload = json.loads(original.read("year.json"))
    damaged = evidence_dir.parent / "hong.zip"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("year.json", json.dumps({**payload, **damage}))
    before = database_snapshot(evidence_dir)

    with pytest.raises(CommandError, match="Tệp xuất bị hỏng"):
        restore(damaged, "--trust-unsigned")

    assert database_snapshot(evidence_dir) == before


# --- A hostile archive (issue 16.5) -------------------------------------------------------------


def signature(data: bytes, key: str = KEY) -> bytes:
    """signature.json as docs/year-archive.md describes it, worked out here from the spec."""
    key_id = hashlib.sha256(f"hoctap-year-archive-key:{key}".encode()).hexdigest()[:16]
    mac = hmac.new(key.encode(), data, "sha256").hexdigest()
    return json.dumps(
        {"algorithm": "HMAC-SHA256", "signed": "year.json", "key_id": key_id, "mac": mac}
    ).encode()


def rewritten(
    path: Path,
    *,
    change=None,
    members: dict[str, bytes] | None = None,
    sign: str | None = KEY,
) -> Path:
    """The archive with year.json changed by `change(data)` and members replaced or added, then
    signed again with `sign` — or left with its old signature (sign="old"), or none (None)."""
    target = path.with_name("sua-" + path.name)
    members = members or {}
    with zipfile.ZipFile(path) as source:
        data = source.read("year.json")
        old_signature = source.read("signature.json")
        if change is not None:
            content = json.loads(data)
            change(content)
            data = json.dumps(content, ensure_ascii=False).encode()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("year.json", data)
            for info in source.infolist():
                if info.filename not in {"year.json", "signature.json", *members}:
                    archive.writestr(info, source.read(info))
            for name, content in members.items():
                archive.writestr(name, content)
            if sign == "old":
                archive.writestr("signature.json", old_signature)
            elif sign is not None:
                archive.writestr("signature.json", signature(data, sign))
    return target


def second_version(data: dict) -> dict:
    plan = next(d for d in data["documents"] if d["fields"]["title"] == "Kế hoạch")
    return plan["versions"][1]["fields"]


@pytest.fixture
def archived(year_data, evidence_dir, tmp_path) -> Path:
    """The year exported, then wiped from here: ready to be imported back."""
    export(path := tmp_path / "nam-2022.zip")
    wipe(YEAR, evidence_dir)
    return path


def test_the_archive_is_signed_as_documented(archived):
    with zipfile.ZipFile(archived) as archive:
        written = json.loads(archive.read("signature.json"))
        assert written == json.loads(signature(archive.read("year.json")))


def test_an_unsigned_archive_is_refused_unless_the_person_vouches_for_it(archived, evidence_dir):
    unsigned = rewritten(archived, sign=None)
    refused(unsigned, evidence_dir, "Tệp xuất không có chữ ký (signature.json)")
    restore(unsigned, "--trust-unsigned")
    assert Measurement.objects.filter(year=YEAR).count() == 4


def test_an_archive_changed_after_it_was_signed_is_refused(archived, evidence_dir):
    def change(data):
        entry = next(m for m in data["measurements"] if m["fields"]["indicator"][1] == "1.1.2")
        entry["fields"]["numerator"] = 79  # one figure, the files untouched

    refused(
        rewritten(archived, change=change, sign="old"),
        evidence_dir,
        "Chữ ký không khớp nội dung: tệp xuất đã bị sửa hoặc bị hỏng sau khi xuất.",
    )


def test_a_retired_key_still_reads_and_an_unknown_one_is_named(archived, evidence_dir, settings):
    settings.YEAR_ARCHIVE_KEY = "khoa-moi-sau-khi-doi"
    key_id = hashlib.sha256(f"hoctap-year-archive-key:{KEY}".encode()).hexdigest()[:16]
    refused(archived, evidence_dir, f"một khóa mà máy này không có (mã khóa {key_id})")

    settings.YEAR_ARCHIVE_OLD_KEYS = ["khoa-khac", KEY]
    restore(archived)
    assert Measurement.objects.filter(year=YEAR).count() == 4


def test_exporting_without_a_key_is_refused(world, settings, tmp_path):
    settings.YEAR_ARCHIVE_KEY = ""
    with pytest.raises(CommandError, match="Chưa đặt YEAR_ARCHIVE_KEY"):
        export(tmp_path / "nam-2022.zip")
    assert not list(tmp_path.glob("*.zip*"))


def test_a_locked_year_is_never_imported_into(archived, evidence_dir):
    EvaluationYear.objects.create(year=YEAR, state=EvaluationYear.State.LOCKED)
    refused(archived, evidence_dir, "Năm 2022 ở đây đang ở trạng thái «đã khóa»")


def test_a_member_larger_than_an_upload_is_refused_before_it_is_inflated(
    archived, evidence_dir, settings, monkeypatch
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(PDF_V2) - 1
    opened = []
    original = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: (
            opened.append(getattr(name, "filename", name)) or original(self, name, *a, **k)
        ),
    )

    refused(archived, evidence_dir, "lớn hơn giới hạn")
    assert not [name for name in opened if name.startswith("files/")]


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(archived, evidence_dir):
    """A member declaring the size its version records, whose data inflate to 4 MB of zeros."""
    with zipfile.ZipFile(archived) as archive:
        member = "files/" + second_version(json.loads(archive.read("year.json")))["file"]
    bomb = rewritten(archived, members={member: PDF_V2 + b"\0" * (4 * 1024 * 1024)})
    forged = forge_declared_size(bomb.read_bytes(), member, len(PDF_V2))
    bomb.write_bytes(forged)
    assert len(forged) < 50_000

    refused(bomb, evidence_dir, "không khớp kích thước và SHA-256 đã ghi")


def test_a_program_disguised_as_a_pdf_is_refused(archived, evidence_dir):
    """Its size and SHA-256 recorded, the archive signed: only the content check catches it."""

    def change(data):
        fields = second_version(data)
        fields["sha256"], fields["size"] = hashlib.sha256(EXE).hexdigest(), len(EXE)

    with zipfile.ZipFile(archived) as archive:
        name = "files/" + second_version(json.loads(archive.read("year.json")))["file"]
    disguised = rewritten(archived, change=change, members={name: EXE})

    refused(disguised, evidence_dir, "là chương trình, không phải văn bản")


def test_a_name_reaching_outside_the_storage_is_stored_under_a_generated_one(
    archived, evidence_dir
):
    def change(data):
        second_version(data)["file"] = "../../ngoai-kho.pdf"

    outside = rewritten(archived, change=change, members={"files/../../ngoai-kho.pdf": PDF_V2})
    restore(outside)

    names = list(DocumentVersion.objects.values_list("file", flat=True))
    assert all(GENERATED_NAME.fullmatch(name) for name in names)
    assert not list(evidence_dir.parent.parent.rglob("ngoai-kho.pdf"))


def stored_files(evidence_dir: Path) -> list[Path]:
    return sorted(path for path in evidence_dir.rglob("*") if path.is_file())


def test_an_import_killed_half_way_is_cleaned_by_the_command(archived, evidence_dir, monkeypatch):
    before = database_snapshot(evidence_dir)
    # The process dies after the files are stored, inside the transaction, before any cleanup.
    monkeypatch.setattr(archive_module, "uncommitted_files_discard", lambda names: None)
    monkeypatch.setattr(Explanation, "full_clean", lambda self, *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        archive_module.import_year(archived)
    # Three versions' files, the signed decision's and the meeting's signed minutes.
    assert len(stored_files(evidence_dir)) == 5
    assert UncommittedFile.objects.count() == 5
    monkeypatch.undo()

    out = io.StringIO()
    call_command("clear_abandoned_files", stdout=out)

    assert "Đã xóa 5 tệp minh chứng" in out.getvalue()
    assert stored_files(evidence_dir) == []
    assert database_snapshot(evidence_dir) == before


def test_an_import_killed_half_way_is_cleaned_by_the_next_import(
    archived, evidence_dir, monkeypatch
):
    monkeypatch.setattr(archive_module, "uncommitted_files_discard", lambda names: None)
    monkeypatch.setattr(Explanation, "full_clean", lambda self, *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        archive_module.import_year(archived)
    monkeypatch.undo()

    restore(archived)

    stored = {str(path.relative_to(evidence_dir)) for path in stored_files(evidence_dir)}
    assert stored == {
        *DocumentVersion.objects.values_list("file", flat=True),
        *DecisionDocument.objects.values_list("file", flat=True),
        *MeetingFile.objects.values_list("file", flat=True),
    }
    assert len(stored) == 5
    assert not UncommittedFile.objects.exists()


def test_a_file_a_version_names_survives_the_cleanup(archived, evidence_dir):
    """The process died after its commit: the receipt goes, the file stays."""
    restore(archived)
    version = DocumentVersion.objects.first()
    UncommittedFile.objects.create(name=version.file.name)

    call_command("clear_abandoned_files", stdout=io.StringIO())

    kept = (evidence_dir / version.file.name).read_bytes()
    assert hashlib.sha256(kept).hexdigest() == version.sha256
    assert not UncommittedFile.objects.exists()


def test_a_file_a_signed_decision_names_survives_the_cleanup(archived, evidence_dir):
    """The same for a file kept by a row of another app (evaluation's signed decision)."""
    restore(archived)
    decision = DecisionDocument.objects.get()
    UncommittedFile.objects.create(name=decision.file.name)

    call_command("clear_abandoned_files", stdout=io.StringIO())

    kept = (evidence_dir / decision.file.name).read_bytes()
    assert hashlib.sha256(kept).hexdigest() == decision.sha256
    assert not UncommittedFile.objects.exists()


def test_the_figures_of_an_indicator_of_parts_come_back_with_their_history(
    world, personas, evidence_dir, tmp_path
):
    """A year whose rate 2.1.3 is given in two parts (saved twice: both versions in the
    history) is restored with each part's figures, version and history."""
    rate = world.indicator("2.1.3")
    for position, code in enumerate(("a", "b"), start=1):
        IndicatorPart.objects.create(
            indicator=rate,
            code=code,
            name=f"Phần {code}",
            threshold=Decimal("0.05"),
            position=position,
        )
    user, actor = personas["district_a"], actor_for(personas["district_a"])
    version = None
    for b_value in ("0.06", "0.04"):
        version = services.measurement_save(
            actor=actor,
            user=user,
            indicator=Indicator.objects.prefetch_related("parts").get(pk=rate.pk),
            unit=world.district_a,
            year=YEAR,
            data=MeasurementData(
                parts={
                    "a": PartFigures(numerator=1, denominator=4000),
                    "b": PartFigures(value=Decimal(b_value)),
                }
            ),
            expected_version=version,
            submit=False,
        ).version
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)

    def parts_picture() -> tuple:
        rows = PartValue.objects.order_by("part__code").values_list(
            "part__code", "numerator", "denominator", "value", "version"
        )
        history = PartValue.history.order_by("history_id").values_list(
            "part__code", "value", "version", "history_user__username", "history_change_reason"
        )
        return list(rows), list(history)

    before = parts_picture()
    assert before[0] == [
        ("a", 1, 4000, None, 1),
        ("b", None, None, Decimal("0.04"), 2),
    ]
    export(path := tmp_path / "nam-2022.zip")
    assert "2 số liệu từng phần" in restore_after_wipe(path)
    assert parts_picture() == before


def restore_after_wipe(path: Path) -> str:
    entries = list(Measurement.objects.filter(year=YEAR).values_list("pk", flat=True))
    wipe(YEAR, Path("/nonexistent"))
    PartValue.history.filter(measurement_id__in=entries).delete()  # with the cascade's records
    assert not PartValue.objects.exists()
    return restore(path)
