"""Every figure of the 2021 and 2022 demo data, pinned as it stood when issue 17 (units over
time, recognition levels, the read API) started: those changes must leave the 2022 pilot exactly
as it was.

`pinned/demo-2021-2022.json` holds, for each year, unit and basis (official: approved values;
provisional: submitted too), the document `manage.py evaluate --format json` printed at commit
«Pin every 2021 and 2022 demo figure», or the message it refused with (the 2021 districts had no
criteria set). It was recorded once, before any of issue 17's code; it is never regenerated to
make this test pass — a difference is a change to the pilot's results, to be explained.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

PINNED = json.loads((Path(__file__).parent / "pinned" / "demo-2021-2022.json").read_text())
DISTRICTS = ["HB", "NQ", "LC", "HA", "KA", "DS", "DK", "TN", "AD", "AL", "KT", "TL", "VB", "CH"]
UNITS = ["HP", *(f"HP-{code}" for code in DISTRICTS), "HP-BLV"]


def evaluated(year: int, unit: str, basis: str) -> dict:
    out = StringIO()
    extra = ["--include-submitted"] if basis == "provisional" else []
    try:
        call_command(
            "evaluate", f"--year={year}", f"--unit={unit}", "--format=json", *extra, stdout=out
        )
    except CommandError as error:
        return {"error": str(error)}
    return json.loads(out.getvalue())


def test_the_pin_covers_every_unit_year_and_basis():
    assert sorted(PINNED) == sorted(
        f"{year}/{unit}/{basis}"
        for year in (2021, 2022)
        for unit in UNITS
        for basis in ("official", "provisional")
    )
    # A few figures read by hand from the file, so that an emptied pin cannot pass.
    assert PINNED["2022/HP/official"]["met_count"] == 13
    assert PINNED["2021/HP/official"]["met_count"] == 3
    assert PINNED["2022/HP/official"]["verdict"] == "not_recognized"
    assert "error" in PINNED["2021/HP-HB/official"]


@pytest.mark.parametrize("year", [2021, 2022])
@pytest.mark.parametrize("basis", ["official", "provisional"])
def test_every_demo_figure_is_as_pinned(demo, db, year, basis):
    differences = [
        unit for unit in UNITS if evaluated(year, unit, basis) != PINNED[f"{year}/{unit}/{basis}"]
    ]
    assert differences == []
