"""Realistic data for the load benchmark (bench/run_load.py), in the database of DATABASE_URL.

Not a test. Loads the Hải Phòng catalogue, then adds, from a fixed seed:

- districts beyond the real 15 when asked (`--districts 150`), each with its education office and
  the same assignments as the real offices (5 indicators each);
- accounts: 5 standing-office members, 5 committee members, one member of each division of the
  Sở, one member of each district education office; all share one password (hashed once);
- `--years` years of values ending in 2022: the city on all 20 indicators, every district on its
  5; earlier years approved (then locked), 2022 open with a mix of approved, submitted, draft,
  returned and missing entries; bulk-created with their history rows;
- documents (small genuine PDF files) uploaded through `evidence.services` into the
  evidence storage (MEDIA_ROOT/evidence, or S3 when EVIDENCE_S3_BUCKET is set), some replaced by a
  second version, then approved, sent back or left waiting; a few explanations.

Run from the project root with the portal's environment (DATABASE_URL, SECRET_KEY, MEDIA_ROOT):

    .venv/bin/python bench/seed.py --districts 15 --years 2 --documents 300

It prints one JSON line with the counts, and writes nothing when the database already holds values.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningcity.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from assignments.models import Assignment, Department, Membership, Unit  # noqa: E402
from assignments.permissions import (  # noqa: E402
    STANDING_OFFICE_GROUP,
    STEERING_COMMITTEE_GROUP,
    actor_for,
)
from criteria.models import EvaluationYear, Indicator  # noqa: E402
from criteria.selectors import default_criteria_set  # noqa: E402
from evidence import services as evidence_services  # noqa: E402
from evidence.models import Explanation  # noqa: E402
from evidence.services import DocumentMetadata  # noqa: E402
from measurements.models import Measurement, PartValue  # noqa: E402

LAST_YEAR = 2022
STANDING_OFFICE_DEPARTMENT = "GDTX-CN-DH"
#: Documents per unit and year in the base data set (300 over 16 units × 2 years).
DOCUMENTS_PER_UNIT_YEAR = 300 / (16 * 2)


def make_pdf(text: str, lines: int = 12) -> bytes:
    """A small but genuine one-page PDF (catalog, page, font, content stream, xref table)."""
    safe = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    body = b"".join(
        b"BT /F1 11 Tf 72 %d Td (%s - dong %d) Tj ET\n" % (770 - 16 * i, safe, i)
        for i in range(lines)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def add_districts(total: int) -> None:
    """Districts beyond the real 15, each with an office assigned like the real offices."""
    city = Unit.objects.get(kind=Unit.Kind.CITY)
    existing = Unit.objects.exclude(kind=Unit.Kind.CITY).count()
    model_office = Department.objects.filter(kind=Department.Kind.DISTRICT_OFFICE).first()
    pattern = list(Assignment.objects.filter(department=model_office))
    position = Department.objects.order_by("-position").values_list("position", flat=True)[0]
    for number in range(existing + 1, total + 1):
        code = f"HP-X{number:03d}"
        kind = Unit.Kind.URBAN_DISTRICT if number % 3 else Unit.Kind.RURAL_DISTRICT
        unit = Unit.objects.create(
            code=code, name=f"Huyện thử {number:03d}", kind=kind, parent=city, position=number
        )
        position += 1
        office = Department.objects.create(
            code=f"PGD-X{number:03d}",
            name=f"Phòng GD&ĐT huyện thử {number:03d}",
            kind=Department.Kind.DISTRICT_OFFICE,
            unit=unit,
            position=position,
        )
        Assignment.objects.bulk_create(
            Assignment(
                indicator_id=a.indicator_id, department=office, role=a.role, role_text=a.role_text
            )
            for a in pattern
        )


def add_accounts(password: str) -> dict[str, list[str]]:
    """Accounts by role; one hash for all (PBKDF2 is slow by design)."""
    encoded = make_password(password)
    standing = Group.objects.get(name=STANDING_OFFICE_GROUP)
    committee = Group.objects.get(name=STEERING_COMMITTEE_GROUP)
    roles: dict[str, list[str]] = {"standing": [], "committee": [], "division": [], "district": []}

    def account(username: str, department: Department | None, group: Group | None) -> User:
        user = User.objects.create(username=username, password=encoded, first_name=username)
        if department is not None:
            Membership.objects.create(user=user, department=department)
        if group is not None:
            user.groups.add(group)
        return user

    standing_department = Department.objects.get(code=STANDING_OFFICE_DEPARTMENT)
    for i in range(1, 6):
        roles["standing"].append(account(f"thuongtruc{i}", standing_department, standing).username)
        roles["committee"].append(account(f"bcd{i}", None, committee).username)
    for department in Department.objects.order_by("position", "code"):
        if department.code == STANDING_OFFICE_DEPARTMENT:
            continue
        username = f"u-{department.code.lower()}"
        account(username, department, None)
        key = "district" if department.kind == Department.Kind.DISTRICT_OFFICE else "division"
        roles[key].append(username)
    return roles


def _values(rng: random.Random, kind: str, threshold: Decimal | None, year: int) -> dict:
    """Plausible values of an indicator's kind, about 70 % of them meeting the threshold."""
    strong = rng.random() < 0.7
    if kind in (Indicator.Kind.DOCUMENT, Indicator.Kind.ACTIVITY):
        return {"yes": strong}
    if kind == Indicator.Kind.SHARE_AT_LEAST:
        denominator = rng.randint(20, 400)
        share = float(threshold or 50) / 100 + (0.08 if strong else -0.1) * rng.random()
        numerator = max(0, min(denominator, round(denominator * share)))
        return {"numerator": numerator, "denominator": denominator}
    if kind == Indicator.Kind.RATE_BELOW:
        denominator = rng.randint(15000, 250000)
        rate = float(threshold or Decimal("0.05")) / 100 * (0.6 if strong else 1.3)
        return {"numerator": round(denominator * rate), "denominator": denominator}
    if kind == Indicator.Kind.DROP_AT_LEAST:
        previous = Decimal(rng.randint(30, 60)) / 10
        drop = Decimal("1.8") if strong else Decimal("0.6")
        return {"value": previous - drop, "previous": previous}
    base = Decimal(1000 + 37 * (year - 2000) + rng.randint(0, 50))  # increase
    return {"value": base + (rng.randint(1, 40) if strong else -rng.randint(1, 40))}


def add_measurements(rng: random.Random, years: list[int], roles: dict[str, list[str]]) -> int:
    """The city on every indicator, each district on its office's; every year but the last
    approved, the last one a mix (some entries missing)."""
    criteria_set = default_criteria_set()
    indicators = list(
        Indicator.objects.filter(criterion__standard__criteria_set=criteria_set).prefetch_related(
            "parts"
        )
    )
    district_ids = set(
        Assignment.objects.filter(department__kind=Department.Kind.DISTRICT_OFFICE).values_list(
            "indicator_id", flat=True
        )
    )
    reviewer = User.objects.get(username=roles["standing"][0])
    city = Unit.objects.get(kind=Unit.Kind.CITY)
    units = [city, *Unit.objects.exclude(kind=Unit.Kind.CITY).order_by("position")]
    objects = []
    for year in years:
        for unit in units:
            for indicator in indicators:
                if unit != city and indicator.pk not in district_ids:
                    continue
                if year == LAST_YEAR:
                    status = rng.choices(
                        ["approved", "submitted", "draft", "returned", None],
                        weights=[50, 22, 10, 6, 12],
                    )[0]
                    if status is None:
                        continue
                else:
                    status = "approved"
                parts = list(indicator.parts.all())
                # An indicator of several parts takes each part's figures, none of its own.
                values = {} if parts else _values(rng, indicator.kind, indicator.threshold, year)
                objects.append(
                    Measurement(
                        indicator=indicator,
                        unit=unit,
                        year=year,
                        status=status,
                        note="Số liệu tổng hợp từ báo cáo của các trường"
                        if rng.random() < 0.3
                        else "",
                        review_comment="Đề nghị bổ sung văn bản" if status == "returned" else "",
                        updated_by=reviewer,
                        submitted_by=reviewer if status != "draft" else None,
                        reviewed_by=reviewer if status in ("approved", "returned") else None,
                        version=rng.randint(1, 4),
                        **values,
                    )
                )
    bulk_create_with_history(objects, Measurement, batch_size=2000, default_user=reviewer)
    by_indicator = {indicator.pk: indicator for indicator in indicators}
    PartValue.objects.bulk_create(
        PartValue(measurement=entry, part=part, **_values(rng, indicator.kind, part.threshold, 0))
        for entry in objects
        for indicator in [by_indicator[entry.indicator_id]]
        for part in indicator.parts.all()
    )
    return len(objects)


def add_documents(rng: random.Random, count: int, years: list[int], roles) -> dict[str, int]:
    """Documents uploaded through the evidence services (files in the evidence storage)."""
    user = User.objects.get(username=roles["standing"][0])
    actor = actor_for(user)
    criteria_set = default_criteria_set()
    indicators = list(
        Indicator.objects.filter(criterion__standard__criteria_set=criteria_set).prefetch_related(
            "parts"
        )
    )
    district_ids = set(
        Assignment.objects.filter(department__kind=Department.Kind.DISTRICT_OFFICE).values_list(
            "indicator_id", flat=True
        )
    )
    district_indicators = [i for i in indicators if i.pk in district_ids]
    by_unit = {
        unit: indicators if unit.is_city else district_indicators for unit in Unit.objects.all()
    }
    units = list(by_unit)
    counts = {"documents": 0, "versions": 0, "approved": 0, "needs_more": 0, "withdrawn": 0}
    weights = [3 if y == LAST_YEAR else 1 for y in years]
    for n in range(1, count + 1):
        unit = rng.choice(units)
        year = rng.choices(years, weights=weights)[0]
        chosen = rng.sample(by_unit[unit], k=min(len(by_unit[unit]), rng.choice([1, 1, 2])))
        title = f"Kế hoạch số {n}/KH-UBND về xây dựng xã hội học tập năm {year}"
        document = evidence_services.document_upload(
            actor=actor,
            user=user,
            unit=unit,
            year=year,
            indicators=chosen,
            metadata=DocumentMetadata(
                title=title, number=f"{n}/KH-UBND", issuer=f"UBND {unit.name}"
            ),
            file=ContentFile(
                make_pdf(f"Minh chung {n} {unit.code} {year}"), name=f"ke-hoach-{n:05d}.pdf"
            ),
        )
        counts["documents"] += 1
        counts["versions"] += 1
        if rng.random() < 0.2:
            evidence_services.document_replace(
                actor=actor,
                user=user,
                document=document,
                file=ContentFile(
                    make_pdf(f"Minh chung {n} ban 2", lines=20), name=f"ke-hoach-{n:05d}-v2.pdf"
                ),
            )
            counts["versions"] += 1
        roll = rng.random()
        if roll < 0.55:
            evidence_services.document_approve(
                actor=actor, user=user, document=document, seen_version=document.versions.count()
            )
            counts["approved"] += 1
        elif roll < 0.70:
            evidence_services.document_request_more(
                actor=actor,
                user=user,
                document=document,
                seen_version=document.versions.count(),
                comment="Thiếu chữ ký, dấu đỏ.",
            )
            counts["needs_more"] += 1
        elif roll < 0.73:
            evidence_services.document_withdraw(
                actor=actor, user=user, document=document, reason="Tải nhầm tệp."
            )
            counts["withdrawn"] += 1
    return counts


def add_explanations(rng: random.Random, years: list[int], roles) -> int:
    user = User.objects.get(username=roles["standing"][0])
    indicator = Indicator.objects.get(code="3.2.1")
    units = list(Unit.objects.exclude(kind=Unit.Kind.CITY))
    rows = [
        Explanation(
            unit=unit,
            year=year,
            indicator=indicator,
            author=user,
            text="Văn bản đang chờ UBND ký ban hành.",
        )
        for unit in units
        for year in years
        if rng.random() < 0.1
    ]
    Explanation.objects.bulk_create(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=15, help="at least the real 15")
    parser.add_argument("--years", type=int, default=2, help="years of values, ending in 2022")
    parser.add_argument(
        "--documents",
        type=int,
        default=None,
        help="default: about 9 per unit and year (300 for 15 districts, 2 years)",
    )
    parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD", "bench-2022-tai"))
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    if Measurement.objects.exists():
        sys.exit("The database already holds values: seed a fresh one (bench/run_load.py does).")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    years = list(range(LAST_YEAR - args.years + 1, LAST_YEAR + 1))
    call_command("load_catalogue", verbosity=0)
    with transaction.atomic():
        add_districts(max(args.districts, 15))
        roles = add_accounts(args.password)
        for year in years:
            EvaluationYear.objects.update_or_create(year=year, defaults={"state": "open"})
        values = add_measurements(rng, years, roles)
        explanations = add_explanations(rng, years, roles)
    units = Unit.objects.count()
    documents = args.documents
    if documents is None:
        documents = round(DOCUMENTS_PER_UNIT_YEAR * units * len(years))
    counts = add_documents(rng, documents, years, roles)
    EvaluationYear.objects.filter(year__lt=LAST_YEAR).update(state=EvaluationYear.State.LOCKED)
    summary = {
        "units": units,
        "districts": units - 1,
        "years": years,
        "measurements": values,
        "explanations": explanations,
        **counts,
        "accounts": {role: len(names) for role, names in roles.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps({"seed": summary, "roles": roles}, ensure_ascii=False))


if __name__ == "__main__":
    main()
