"""Recognition levels (Thông tư 24 and 25/2023): a set names its levels, each the indicators it
asks to be met beyond the levels below; the verdict says which level a unit reaches."""

import pytest

from criteria import scoring
from criteria.scoring import (
    CatalogueSpec,
    CriterionSpec,
    IndicatorInput,
    IndicatorSpec,
    Kind,
    LevelSpec,
    StandardSpec,
    Verdict,
)

DOCUMENTS = ("1.1.1", "1.1.2", "1.2.1", "2.1.1")


def catalogue(rule: str = "levels", levels: tuple[LevelSpec, ...] | None = None) -> CatalogueSpec:
    """Four documents; level 1 asks 1.1.1 and 1.1.2, level 2 also 1.2.1 and 2.1.1."""
    spec = {
        code: IndicatorSpec(code=code, kind=Kind.DOCUMENT, threshold=None) for code in DOCUMENTS
    }
    standards = (
        StandardSpec(
            "1",
            (
                CriterionSpec("1.1", (spec["1.1.1"], spec["1.1.2"])),
                CriterionSpec("1.2", (spec["1.2.1"],)),
            ),
        ),
        StandardSpec("2", (CriterionSpec("2.1", (spec["2.1.1"],)),)),
    )
    if levels is None:
        levels = (LevelSpec(1, ("1.1.1", "1.1.2")), LevelSpec(2, ("1.2.1", "2.1.1")))
    return CatalogueSpec(standards, rule=rule, levels=levels)


def answers(**given: bool) -> dict[str, IndicatorInput]:
    return {code[1:].replace("_", "."): IndicatorInput(yes=yes) for code, yes in given.items()}


def test_a_unit_meeting_level_1_but_not_level_2_reaches_level_1():
    result = scoring.evaluate(
        catalogue(), answers(i1_1_1=True, i1_1_2=True, i1_2_1=True, i2_1_1=False)
    )
    assert (result.verdict, result.level) == (Verdict.RECOGNIZED, 1)
    assert result.to_json(year=2026, unit="X")["level"] == 1


def test_a_unit_meeting_every_indicator_reaches_level_2():
    every = answers(i1_1_1=True, i1_1_2=True, i1_2_1=True, i2_1_1=True)
    assert scoring.evaluate(catalogue(), every).level == 2


def test_level_2_alone_is_not_reached_without_level_1():
    """Level 2's own indicators met, 1.1.2 not: no level, and not recognised."""
    result = scoring.evaluate(
        catalogue(), answers(i1_1_1=True, i1_1_2=False, i1_2_1=True, i2_1_1=True)
    )
    assert (result.verdict, result.level) == (Verdict.NOT_RECOGNIZED, None)
    assert result.to_json(year=2026, unit="X")["level"] is None


def test_level_1_still_without_data_is_incomplete():
    result = scoring.evaluate(catalogue(), answers(i1_1_1=True, i1_2_1=True, i2_1_1=True))
    assert (result.verdict, result.level) == (Verdict.INCOMPLETE, None)


def test_a_set_without_levels_keeps_its_json_contract():
    plain = catalogue(rule="all_standards", levels=())
    result = scoring.evaluate(plain, answers(i1_1_1=True))
    assert "level" not in result.to_json(year=2022, unit="HP")
    assert result.level is None


@pytest.mark.parametrize(
    ("rule", "levels", "message"),
    [
        ("levels", (), "needs the set's levels"),
        ("all_standards", (LevelSpec(1, ("1.1.1",)),), "needs the set's levels"),
        ("levels", (LevelSpec(1, ("9.9.9",)),), "unknown indicators: 9.9.9"),
    ],
)
def test_levels_and_the_rule_go_together(rule, levels, message):
    with pytest.raises(ValueError, match=message):
        catalogue(rule=rule, levels=levels)
