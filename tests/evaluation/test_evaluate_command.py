"""`manage.py evaluate`: the JSON contract, what-if files, which entries count, and refusals.

Most tests call the command in process on the real Hải Phòng catalogue; the last ones run it as
`python manage.py evaluate` against a SQLite file, to see exit statuses, stdout and stderr.
"""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assignments.models import Unit
from criteria.models import EvaluationYear, Indicator
from measurements.models import Measurement
from tests.factories import make_criteria_set, make_criterion, make_indicator, make_standard

PROJECT = Path(__file__).resolve().parents[2]
YEAR = 2022
APPROVED = Measurement.Status.APPROVED
SUBMITTED = Measurement.Status.SUBMITTED

# The example of the contract: a document, counts, a typed percentage and a drop.
EXAMPLE = {
    "1.1.1": {"yes": True},
    "2.1.2": {"numerator": 11, "denominator": 15},
    "3.1.4": {"value": "66,5"},
    "3.1.2": {"value": "1.8", "previous": "3.3"},
}
# Every one of the 20 indicators met.
ALL_MET = {
    **{code: {"yes": True} for code in ("1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3")},
    **{code: {"yes": True} for code in ("3.2.1", "3.2.2")},
    **{code: {"value": "70"} for code in ("2.1.1", "2.1.2", "2.2.1", "2.2.2", "2.2.3", "2.2.4")},
    "3.1.1": {"value": "132000", "previous": "100000"},
    "3.1.2": {"value": "1,8", "previous": "3,3"},
    "3.1.3": {"value": "12", "previous": "10"},
    "3.1.4": {"value": "66"},
    "3.1.5": {"parts": {"a": {"numerator": 9, "denominator": 10}, "b": {"value": "90"}}},
    "3.2.3": {"numerator": 199, "denominator": 400000},
    "3.2.4": {"value": "50"},
}


# --- Helpers -----------------------------------------------------------------------------------


def what_if(directory: Path, values: dict, name: str = "what-if.json") -> Path:
    """A what-if file replacing these indicators' entries: {"values": {code: entry}}."""
    path = directory / name
    path.write_text(json.dumps({"values": values}, ensure_ascii=False), encoding="utf-8")
    return path


def what_if_text(directory: Path, text: str) -> Path:
    """A what-if file with exactly this text (for files that are not valid JSON)."""
    path = directory / "raw.json"
    path.write_text(text, encoding="utf-8")
    return path


def evaluate_json(*args: object) -> dict:
    """Run the command with --format json and read all of its stdout as one JSON document."""
    out = StringIO()
    call_command("evaluate", *map(str, args), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def by_code(document: dict) -> dict[str, dict]:
    return {indicator["code"]: indicator for indicator in document["indicators"]}


def refusal(*args: object) -> str:
    """The message of the CommandError the command raises (nothing may reach stdout)."""
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("evaluate", *map(str, args), "--format", "json", stdout=out)
    assert out.getvalue() == ""
    return str(error.value)


def entry(
    code: str, *, year: int = YEAR, unit: str = "HP", status: str = APPROVED, **values
) -> Measurement:
    """A stored entry; the year is opened first because every write needs an open year."""
    EvaluationYear.objects.get_or_create(year=year, defaults={"state": EvaluationYear.State.OPEN})
    indicator = Indicator.objects.get(code=code)
    return Measurement.objects.create(
        indicator=indicator,
        unit=Unit.objects.get(code=unit),
        year=year,
        status=status,
        basis=indicator.basis,  # as a save records it
        **values,
    )


def stored_state() -> tuple:
    """Every stored entry and every history record, to prove that a run wrote nothing."""
    return (
        list(Measurement.objects.order_by("pk").values()),
        Measurement.history.count(),
        EvaluationYear.objects.count(),
        EvaluationYear.history.count(),
    )


# --- The JSON contract on the real catalogue ---------------------------------------------------


def test_json_gives_year_unit_verdict_and_every_level_in_catalogue_order(haiphong):
    document = evaluate_json()

    assert (document["year"], document["unit"], document["verdict"]) == (2022, "HP", "incomplete")
    assert [s["code"] for s in document["standards"]] == ["1", "2", "3"]
    assert [c["code"] for c in document["criteria"]] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    assert [i["code"] for i in document["indicators"]] == list(
        Indicator.objects.order_by("pk").values_list("code", flat=True)
    )
    assert all({"code", "status", "value", "explanation"} <= set(i) for i in document["indicators"])


def test_indicator_without_data_has_null_value_and_says_so(haiphong):
    indicator = by_code(evaluate_json())["2.2.1"]

    assert (indicator["status"], indicator["value"]) == ("no_data", None)
    assert indicator["explanation"] == "Chưa có số liệu"


def test_what_if_example_gives_exact_statuses_and_values(haiphong, tmp_path):
    document = evaluate_json("--what-if", what_if(tmp_path, EXAMPLE))

    found = {code: (i["status"], i["value"]) for code, i in by_code(document).items()}
    assert found["1.1.1"] == ("met", True)
    assert found["2.1.2"] == ("met", "73.333333")
    assert found["3.1.4"] == ("met", "66.5")
    assert found["3.1.2"] == ("met", "1.5")
    assert all(by_code(document)[code]["explanation"].endswith("— Đạt") for code in EXAMPLE)


def test_what_if_example_leaves_the_verdict_incomplete(haiphong, tmp_path):
    document = evaluate_json("--what-if", what_if(tmp_path, EXAMPLE))

    assert document["verdict"] == "incomplete"
    assert {s["status"] for s in document["standards"]} == {"no_data"}


def test_document_without_the_document_is_not_met_with_value_false(haiphong, tmp_path):
    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, {"1.2.1": {"yes": False}})))

    assert (indicator["1.2.1"]["status"], indicator["1.2.1"]["value"]) == ("not_met", False)


def test_share_below_threshold_is_rounded_down_toward_failing(haiphong, tmp_path):
    values = {"2.1.2": {"numerator": 2, "denominator": 3}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["2.1.2"]

    assert (indicator["status"], indicator["value"]) == ("not_met", "66.666666")


def test_share_of_exactly_the_threshold_is_met_and_shown_exactly(haiphong, tmp_path):
    values = {"2.1.1": {"numerator": 7, "denominator": 10}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["2.1.1"]

    assert (indicator["status"], indicator["value"]) == ("met", "70")


def test_rate_below_is_exact_when_the_decimal_terminates(haiphong, tmp_path):
    values = {"3.2.3": {"numerator": 199, "denominator": 400000}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["3.2.3"]

    assert (indicator["status"], indicator["value"]) == ("met", "0.04975")


def test_rate_below_is_rounded_up_toward_failing(haiphong, tmp_path):
    values = {"3.2.3": {"numerator": 1, "denominator": 2001}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["3.2.3"]

    assert (indicator["status"], indicator["value"]) == ("met", "0.049976")


def test_rate_just_below_threshold_gains_decimals_rather_than_read_as_the_threshold(
    haiphong, tmp_path
):
    values = {"3.2.3": {"numerator": 10000, "denominator": 20000001}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["3.2.3"]

    assert (indicator["status"], indicator["value"]) == ("met", "0.049999998")


def test_increase_value_is_the_change_on_last_year(haiphong, tmp_path):
    values = {"3.1.1": {"value": "132.000", "previous": "100000"}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["3.1.1"]

    assert (indicator["status"], indicator["value"]) == ("met", "32000")


def test_no_increase_is_not_met(haiphong, tmp_path):
    values = {"3.1.3": {"value": "5", "previous": "5"}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["3.1.3"]

    assert (indicator["status"], indicator["value"]) == ("not_met", "0")


def test_every_indicator_met_is_recognized(haiphong, tmp_path):
    document = evaluate_json("--what-if", what_if(tmp_path, ALL_MET))

    assert document["verdict"] == "recognized"
    assert {i["status"] for i in document["indicators"]} == {"met"}
    assert {g["status"] for g in document["standards"] + document["criteria"]} == {"met"}


def test_table_format_lists_every_indicator_and_the_conclusion(haiphong, tmp_path):
    out = StringIO()

    call_command("evaluate", "--what-if", str(what_if(tmp_path, ALL_MET)), stdout=out)

    text = out.getvalue()
    assert all(code in text for code in ALL_MET)
    assert "Có áp dụng kịch bản thử (không lưu)." in text
    assert "20/20 chỉ báo đạt" in text


def test_table_format_speaks_vietnamese(haiphong):
    out = StringIO()

    call_command("evaluate", stdout=out)

    assert "Chưa có số liệu" in out.getvalue().split("Tiêu chí 1.1:")[1]
    assert "Incomplete data" not in out.getvalue()


# --- What-if files are never written -----------------------------------------------------------


def test_what_if_writes_nothing(haiphong, tmp_path):
    entry("1.1.1", yes=False)
    entry("2.1.2", status=SUBMITTED, numerator=1, denominator=15)
    before = stored_state()

    evaluate_json("--what-if", what_if(tmp_path, EXAMPLE), "--include-submitted")

    assert stored_state() == before


def test_what_if_entry_replaces_the_stored_entry_for_this_run_only(haiphong, tmp_path):
    entry("1.1.1", yes=False)

    with_what_if = evaluate_json("--what-if", what_if(tmp_path, {"1.1.1": {"yes": True}}))
    without = evaluate_json()

    assert by_code(with_what_if)["1.1.1"]["status"] == "met"
    assert by_code(without)["1.1.1"]["status"] == "not_met"


def test_what_if_entry_replaces_the_whole_stored_entry(haiphong, tmp_path):
    entry("3.1.2", value="1.8", previous="3.3")

    document = evaluate_json("--what-if", what_if(tmp_path, {"3.1.2": {"value": "1"}}))

    indicator = by_code(document)["3.1.2"]
    assert (indicator["status"], indicator["value"]) == ("no_data", None)


def test_stored_entries_not_in_the_what_if_file_still_count(haiphong, tmp_path):
    entry("1.1.2", yes=False)

    document = evaluate_json("--what-if", what_if(tmp_path, EXAMPLE))

    assert by_code(document)["1.1.2"]["status"] == "not_met"
    assert document["verdict"] == "not_recognized"


# --- Not applicable ----------------------------------------------------------------------------


def test_not_applicable_entry_gives_its_reason_and_no_value(haiphong, tmp_path):
    values = {"3.1.5": {"not_applicable": True, "reason": "Không có học sinh khuyết tật"}}

    indicator = by_code(evaluate_json("--what-if", what_if(tmp_path, values)))["3.1.5"]

    assert (indicator["status"], indicator["value"]) == ("not_applicable", None)
    assert indicator["explanation"] == "Không áp dụng: Không có học sinh khuyết tật"


def test_not_applicable_indicator_drops_out_of_a_recognition(haiphong, tmp_path):
    values = {**ALL_MET, "3.1.5": {"not_applicable": True, "reason": "Không có đối tượng"}}

    document = evaluate_json("--what-if", what_if(tmp_path, values))

    assert document["verdict"] == "recognized"


def test_criterion_whose_indicators_are_all_not_applicable_is_not_applicable(haiphong, tmp_path):
    na = {"not_applicable": True, "reason": "Chưa triển khai"}
    values = {**ALL_MET, "1.1.1": na, "1.1.2": na}

    document = evaluate_json("--what-if", what_if(tmp_path, values))

    assert document["criteria"][0] == {"code": "1.1", "status": "not_applicable"}
    assert document["verdict"] == "recognized"


# --- Roll-up -----------------------------------------------------------------------------------


def test_a_failure_outweighs_missing_data(haiphong, tmp_path):
    values = {"2.1.2": {"numerator": 1, "denominator": 15}}

    document = evaluate_json("--what-if", what_if(tmp_path, values))

    assert document["criteria"][2] == {"code": "2.1", "status": "not_met"}
    assert document["standards"][1] == {"code": "2", "status": "not_met"}
    assert document["verdict"] == "not_recognized"


def test_one_indicator_without_data_keeps_the_verdict_incomplete(haiphong, tmp_path):
    values = {code: entry for code, entry in ALL_MET.items() if code != "3.2.4"}

    document = evaluate_json("--what-if", what_if(tmp_path, values))

    assert document["standards"][2] == {"code": "3", "status": "no_data"}
    assert document["verdict"] == "incomplete"


# --- Which stored entries count ----------------------------------------------------------------


def test_only_approved_entries_count_by_default(haiphong):
    entry("1.1.1", yes=True)
    entry("1.1.2", status=SUBMITTED, yes=False)

    indicators = by_code(evaluate_json())

    assert indicators["1.1.1"]["status"] == "met"
    assert indicators["1.1.2"]["status"] == "no_data"


def test_include_submitted_counts_submitted_entries(haiphong):
    entry("1.1.1", yes=True)
    entry("1.1.2", status=SUBMITTED, yes=False)

    document = evaluate_json("--include-submitted")

    assert by_code(document)["1.1.2"]["status"] == "not_met"
    assert document["verdict"] == "not_recognized"


def test_include_submitted_never_counts_drafts(haiphong):
    entry("1.1.2", status=Measurement.Status.DRAFT, yes=False)

    document = evaluate_json("--include-submitted")

    assert by_code(document)["1.1.2"]["status"] == "no_data"


def test_drop_without_previous_takes_last_years_approved_value(haiphong):
    entry("3.1.2", year=YEAR - 1, value="3.3")
    entry("3.1.2", value="1.8")

    indicator = by_code(evaluate_json())["3.1.2"]

    assert (indicator["status"], indicator["value"]) == ("met", "1.5")


def test_a_rate_measured_under_another_standard_is_not_taken_as_last_years(haiphong):
    """Before: 2021's poverty rate of the 2016–2020 standard was compared with 2022's of the
    2022–2025 one. Now 2022 must state its previous rate under its own standard."""
    old_standard = entry("3.1.2", year=YEAR - 1, value="3.3")
    Measurement.objects.filter(pk=old_standard.pk).update(basis="chuẩn nghèo giai đoạn 2016–2020")
    entry("3.1.2", value="1.8")

    indicator = by_code(evaluate_json())["3.1.2"]

    assert indicator["status"] == "no_data"
    assert indicator["explanation"].startswith("Chưa có giá trị năm trước")


def test_drop_without_previous_ignores_last_years_unapproved_value(haiphong):
    entry("3.1.2", year=YEAR - 1, status=SUBMITTED, value="3.3")
    entry("3.1.2", value="1.8")

    indicator = by_code(evaluate_json("--include-submitted"))["3.1.2"]

    assert (indicator["status"], indicator["value"]) == ("no_data", None)
    assert indicator["explanation"].startswith("Chưa có giá trị năm trước")


def test_increase_with_its_own_previous_value_ignores_last_years(haiphong):
    entry("3.1.3", year=YEAR - 1, value="10")
    entry("3.1.3", value="12", previous="12")

    indicator = by_code(evaluate_json())["3.1.3"]

    assert (indicator["status"], indicator["value"]) == ("not_met", "0")


def test_what_if_drop_without_previous_takes_last_years_approved_value(haiphong, tmp_path):
    entry("3.1.2", year=YEAR - 1, value="3.3")

    document = evaluate_json("--what-if", what_if(tmp_path, {"3.1.2": {"value": "1,8"}}))

    indicator = by_code(document)["3.1.2"]
    assert (indicator["status"], indicator["value"]) == ("met", "1.5")


# --- Years and units ---------------------------------------------------------------------------


def test_year_without_an_evaluation_year_row_still_evaluates(haiphong):
    entry("1.1.1", year=2021, yes=True)
    EvaluationYear.objects.filter(year=2021).delete()

    document = evaluate_json("--year", 2021)

    assert document["year"] == 2021
    assert by_code(document)["1.1.1"]["status"] == "met"


def test_year_defaults_to_the_latest_evaluation_year(haiphong):
    EvaluationYear.objects.create(year=2023, state=EvaluationYear.State.LOCKED)

    assert evaluate_json()["year"] == 2023


def test_a_locked_year_evaluates_like_an_open_one(haiphong):
    entry("1.1.1", yes=True)
    EvaluationYear.objects.filter(year=YEAR).update(state=EvaluationYear.State.LOCKED)

    assert by_code(evaluate_json())["1.1.1"]["status"] == "met"


def test_unit_option_evaluates_a_district_with_its_own_entries(haiphong):
    district_set = make_criteria_set("quan-huyen", level="district", first_year=YEAR)
    document = make_indicator(
        make_criterion(make_standard(district_set)), "1.1.1", kind="document", threshold=None
    )
    Measurement.objects.create(
        indicator=document,
        unit=Unit.objects.get(code="HP-HB"),
        year=YEAR,
        status=APPROVED,
        yes=True,
    )

    output = evaluate_json("--unit", "HP-HB")

    assert output["unit"] == "HP-HB"
    assert [indicator["code"] for indicator in output["indicators"]] == ["1.1.1"]
    assert by_code(output)["1.1.1"]["status"] == "met"
    assert by_code(evaluate_json())["1.1.1"]["status"] == "no_data"


def test_a_district_without_a_district_set_has_no_verdict(haiphong):
    """Before: HP-HB was scored against the city's 20 indicators."""
    entry("1.1.1", unit="HP-HB", yes=True)

    assert "Chưa có bộ tiêu chí quận/huyện cho năm 2022" in refusal("--unit", "HP-HB")


def test_without_any_evaluation_year_asks_for_one(db):
    call_command("loaddata", "haiphong_2022", verbosity=0)
    EvaluationYear.objects.all().delete()

    assert "--year" in refusal()


# --- Refusals: invalid what-if entries name their indicator ------------------------------------


@pytest.mark.parametrize(
    ("code", "invalid", "message"),
    [
        ("2.1.2", {"numerator": 16, "denominator": 15}, "Tử số (16) không được lớn hơn mẫu số"),
        ("2.1.2", {"numerator": 0, "denominator": 0}, "Mẫu số phải lớn hơn 0"),
        ("2.1.2", {"numerator": -1, "denominator": 15}, "không được là số âm"),
        ("2.1.2", {"numerator": "11,5", "denominator": 15}, "«11,5» không phải là số nguyên"),
        ("3.1.4", {"value": "100,5"}, "không được lớn hơn 100 %"),
        ("3.1.4", {"value": "abc"}, "«abc» không phải là số"),
        ("3.1.4", {"yes": True}, "không nhận «Có văn bản»"),
        ("2.1.2", {"numerator": 11}, "Cần nhập cả tử số và mẫu số"),
        ("2.1.2", {"numerator": 11, "denominator": 15, "value": "70"}, "không nhập cả hai"),
        ("3.2.4", {"not_applicable": True}, "Cần ghi lý do"),
        ("3.2.4", {"not_applicable": True, "reason": "  "}, "Cần ghi lý do"),
        ("3.1.2", {"value": "1,8", "previous": "100,1"}, "không được lớn hơn 100 %"),
        ("3.1.1", {"value": "-5", "previous": "3"}, "không được là số âm"),
        ("1.1.1", {"yes": "có"}, "phải là true hoặc false"),
        ("1.1.1", {"yes": True, "comment": "x"}, "Không có trường «comment»"),
        ("2.1.2", 70, "phải là một đối tượng"),
    ],
    ids=[
        "numerator-above-denominator",
        "zero-denominator",
        "negative",
        "non-whole-count",
        "percentage-above-100",
        "text",
        "yes-for-a-percentage",
        "numerator-without-denominator",
        "counts-and-value",
        "not-applicable-without-reason",
        "not-applicable-with-blank-reason",
        "previous-percentage-above-100",
        "negative-increase",
        "yes-as-text",
        "unknown-field",
        "entry-not-an-object",
    ],
)
def test_invalid_what_if_entry_is_refused_naming_its_indicator(
    haiphong, tmp_path, code, invalid, message
):
    text = refusal("--what-if", what_if(tmp_path, {code: invalid}))

    assert text.startswith(f"Chỉ báo {code}: ")
    assert message in text


def test_unknown_indicator_code_is_refused_by_name(haiphong, tmp_path):
    text = refusal("--what-if", what_if(tmp_path, {"9.9.9": {"yes": True}}))

    assert text == "Không có chỉ báo mã «9.9.9» trong bộ tiêu chí."


def test_refused_what_if_writes_nothing(haiphong, tmp_path):
    entry("1.1.1", yes=True)
    before = stored_state()

    refusal("--what-if", what_if(tmp_path, {"1.1.1": {"yes": False}, "2.1.2": {"numerator": 1}}))

    assert stored_state() == before


def test_malformed_json_is_refused_with_its_position(haiphong, tmp_path):
    text = refusal("--what-if", what_if_text(tmp_path, '{"values": {"1.1.1": {"yes": true}'))

    assert text.startswith("Tệp kịch bản không phải JSON hợp lệ (dòng 1, cột")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_number_is_refused(haiphong, tmp_path, constant):
    path = what_if_text(tmp_path, f'{{"values": {{"3.1.4": {{"value": {constant}}}}}}}')

    assert f"«{constant}» không phải là số" in refusal("--what-if", path)


def test_non_finite_json_number_is_refused_naming_its_indicator(haiphong, tmp_path):
    path = what_if_text(tmp_path, '{"values": {"3.1.4": {"value": NaN}}}')

    assert "3.1.4" in refusal("--what-if", path)


@pytest.mark.parametrize("text", ["[]", '{"value": {}}', '{"values": []}'])
def test_file_without_a_values_object_is_refused(haiphong, tmp_path, text):
    message = refusal("--what-if", what_if_text(tmp_path, text))

    assert message.startswith("Tệp kịch bản phải có dạng")


def test_missing_file_is_refused_with_its_path(haiphong, tmp_path):
    missing = tmp_path / "missing.json"

    text = refusal("--what-if", missing)

    assert text.startswith(f"Không đọc được tệp kịch bản {missing}")


def test_what_if_file_with_a_byte_order_mark_is_read(haiphong, tmp_path):
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"values": EXAMPLE}).encode())

    assert by_code(evaluate_json("--what-if", path))["1.1.1"]["status"] == "met"


def test_unknown_unit_code_is_refused_by_name(haiphong):
    assert refusal("--unit", "HP-XX") == "Không có đơn vị mã «HP-XX»."


# --- As a real process: exit status, stdout and stderr -----------------------------------------


@dataclass(frozen=True)
class ProcessDatabase:
    """A SQLite file, migrated and loaded with the catalogue, and the environment naming it."""

    path: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def process_db(tmp_path_factory) -> ProcessDatabase:
    path = tmp_path_factory.mktemp("evaluate") / "db.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEST_DATABASE_NAME", "DEBUG"}
    }
    env.update(SECRET_KEY="test-only-evaluate-subprocess", DATABASE_URL=f"sqlite:///{path}")
    database = ProcessDatabase(path, env)
    manage(database, "migrate", "--no-input", "--verbosity", "0").check_returncode()
    manage(database, "loaddata", "haiphong_2022", "--verbosity", "0").check_returncode()
    return database


def manage(database: ProcessDatabase, *args: object) -> subprocess.CompletedProcess:
    """`python manage.py <args>` in a new process; stdout and stderr captured as text."""
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=PROJECT,
        env=database.env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def row_counts(database: ProcessDatabase) -> tuple[int, ...]:
    """Rows of entries and of their history in the process's SQLite file."""
    with closing(sqlite3.connect(database.path)) as connection:
        return tuple(
            connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("evidence_measurement", "evidence_historicalmeasurement")
        )


# Each builds the arguments of one bad run in a test's tmp_path.
BAD_INPUTS = {
    "invalid-entry": (
        lambda d: ["--what-if", what_if(d, {"2.1.2": {"numerator": 16, "denominator": 15}})],
        "CommandError: Chỉ báo 2.1.2: Tử số (16) không được lớn hơn mẫu số (15).",
    ),
    "nan": (
        lambda d: ["--what-if", what_if_text(d, '{"values": {"3.1.4": {"value": NaN}}}')],
        "CommandError: Chỉ báo 3.1.4: Tỷ lệ (%): «NaN» không phải là số.",
    ),
    "malformed-json": (
        lambda d: ["--what-if", what_if_text(d, "{values:")],
        "CommandError: Tệp kịch bản không phải JSON hợp lệ (dòng 1, cột 2).",
    ),
    "missing-file": (
        lambda d: ["--what-if", d / "missing.json"],
        "CommandError: Không đọc được tệp kịch bản",
    ),
    "unknown-unit": (lambda d: ["--unit", "HP-XX"], "CommandError: Không có đơn vị mã «HP-XX»."),
}


@pytest.mark.once
def test_process_prints_the_json_document_alone_on_stdout(process_db, tmp_path):
    path = what_if(tmp_path, EXAMPLE)

    result = manage(process_db, "evaluate", "--what-if", path, "--format", "json")

    assert (result.returncode, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    assert by_code(document)["2.1.2"]["value"] == "73.333333"
    assert document["verdict"] == "incomplete"


@pytest.mark.once
def test_process_with_a_what_if_file_writes_nothing_to_the_database(process_db, tmp_path):
    before = row_counts(process_db)

    result = manage(process_db, "evaluate", "--what-if", what_if(tmp_path, ALL_MET))

    assert result.returncode == 0
    assert row_counts(process_db) == before


@pytest.mark.once
@pytest.mark.parametrize(("arguments", "message"), BAD_INPUTS.values(), ids=list(BAD_INPUTS))
def test_process_refuses_bad_input_with_status_1_and_no_traceback(
    process_db, tmp_path, arguments, message
):
    args = arguments(tmp_path)

    result = manage(process_db, "evaluate", *args, "--format", "json")

    assert (result.returncode, result.stdout) == (1, "")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_indicator_entered_twice_in_a_what_if_file_is_refused(haiphong, tmp_path):
    path = tmp_path / "twice.json"
    path.write_text('{"values": {"1.1.1": {"yes": true}, "1.1.1": {"yes": false}}}')
    with pytest.raises(CommandError, match=r"«1\.1\.1» hai lần"):
        call_command("evaluate", "--what-if", str(path), "--year", "2022", stdout=StringIO())


@pytest.mark.parametrize("year", ["0", "-5", "99999"])
def test_an_impossible_year_is_refused(haiphong, year):
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("evaluate", "--year", year, stdout=StringIO())
