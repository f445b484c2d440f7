"""Benchmark of the pure scoring service: 1,000 units × the 20 Hải Phòng indicators.

Not a test and no database: it imports ``criteria.scoring`` (with the project's settings, for
the translation catalogue its explanations are said from), builds deterministic (seeded)
measurements — counts and typed percentages, documents, drops and increases, some missing, a few
not applicable — then times ``scoring.evaluate`` over every unit with ``time.perf_counter``.
The target is under one second for the 1,000 units. Run from the project root:

    .venv/bin/python bench/bench_scoring.py [--units 1000] [--repeat 5] [--seed 2022]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

# Run as a plain script: the project root must be on the path to import criteria.scoring.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learningcity.settings")

import django

django.setup()

from criteria.scoring import (  # noqa: E402
    CatalogueSpec,
    CriterionSpec,
    Evaluation,
    IndicatorInput,
    IndicatorSpec,
    Kind,
    StandardSpec,
    evaluate,
)

TARGET_SECONDS = 1.0

# The 20 indicators of fixtures/haiphong_2022.json: code → (kind, threshold, unit of measure).
INDICATORS: dict[str, tuple[Kind, str | None, str]] = {
    "1.1.1": (Kind.DOCUMENT, None, ""),
    "1.1.2": (Kind.DOCUMENT, None, ""),
    "1.2.1": (Kind.DOCUMENT, None, ""),
    "1.2.2": (Kind.DOCUMENT, None, ""),
    "1.2.3": (Kind.DOCUMENT, None, ""),
    "2.1.1": (Kind.SHARE_AT_LEAST, "70", "%"),
    "2.1.2": (Kind.SHARE_AT_LEAST, "70", "%"),
    "2.2.1": (Kind.SHARE_AT_LEAST, "70", "%"),
    "2.2.2": (Kind.SHARE_AT_LEAST, "70", "%"),
    "2.2.3": (Kind.SHARE_AT_LEAST, "70", "%"),
    "2.2.4": (Kind.SHARE_AT_LEAST, "70", "%"),
    "3.1.1": (Kind.INCREASE, None, "tỷ đồng"),
    "3.1.2": (Kind.DROP_AT_LEAST, "1.5", "điểm %"),
    "3.1.3": (Kind.INCREASE, None, "sản phẩm"),
    "3.1.4": (Kind.SHARE_AT_LEAST, "66", "%"),
    "3.1.5": (Kind.SHARE_AT_LEAST, "90", "%"),
    "3.2.1": (Kind.DOCUMENT, None, ""),
    "3.2.2": (Kind.DOCUMENT, None, ""),
    "3.2.3": (Kind.RATE_BELOW, "0.05", "%"),
    "3.2.4": (Kind.SHARE_AT_LEAST, "50", "%"),
}
STANDARDS = {"1": ("1.1", "1.2"), "2": ("2.1", "2.2"), "3": ("3.1", "3.2")}

STRONG_SHARE = 0.4
MISSING_SHARE = 0.08
NOT_APPLICABLE_SHARE = 0.01


def hai_phong_catalogue() -> CatalogueSpec:
    """The Hải Phòng 2022 catalogue as plain specs: 3 standards, 6 criteria, 20 indicators."""
    specs = [
        IndicatorSpec(code, kind, None if threshold is None else Decimal(threshold), unit)
        for code, (kind, threshold, unit) in INDICATORS.items()
    ]
    return CatalogueSpec(
        standards=tuple(
            StandardSpec(
                code=standard,
                criteria=tuple(
                    CriterionSpec(
                        code=criterion,
                        indicators=tuple(s for s in specs if s.code.startswith(f"{criterion}.")),
                    )
                    for criterion in criteria
                ),
            )
            for standard, criteria in STANDARDS.items()
        )
    )


def _percentage(rng: random.Random, low: int, high: int, places: int) -> Decimal:
    """A typed percentage such as 71,35: a whole part in [low, high] and ``places`` decimals."""
    scale = 10**places
    return Decimal(rng.randint(low * scale, high * scale)).scaleb(-places)


def _document(rng: random.Random, strong: bool) -> IndicatorInput:
    return IndicatorInput(yes=strong or rng.random() < 0.85)


def _share(rng: random.Random, strong: bool) -> IndicatorInput:
    low = 90 if strong else 50
    if rng.random() < 0.6:  # counts, often giving a non-terminating percentage (11/15)
        denominator = rng.randint(3, 250_000)
        numerator = rng.randint(denominator * low // 100 + 1, denominator)
        return IndicatorInput(numerator=Decimal(numerator), denominator=Decimal(denominator))
    return IndicatorInput(value=_percentage(rng, low, 100, rng.choice((0, 1, 2))))


def _rate(rng: random.Random, strong: bool) -> IndicatorInput:
    if rng.random() < 0.6:  # a few cases among a large population, around the 0,05 % line
        denominator = rng.randint(100_000, 2_000_000)
        numerator = rng.randint(0, denominator // (2500 if strong else 1000))
        return IndicatorInput(numerator=Decimal(numerator), denominator=Decimal(denominator))
    return IndicatorInput(value=Decimal(rng.randint(0, 49 if strong else 120)).scaleb(-3))


def _drop(rng: random.Random, strong: bool) -> IndicatorInput:
    previous = _percentage(rng, 3, 9, 2)
    drop = _percentage(rng, 1 if strong else 0, 3, rng.choice((1, 2)))
    drop = max(drop, Decimal("1.5")) if strong else drop
    return IndicatorInput(value=max(Decimal(0), previous - drop), previous=previous)


def _increase(rng: random.Random, strong: bool) -> IndicatorInput:
    previous = Decimal(rng.randint(1_000, 500_000))
    value = max(Decimal(0), previous + rng.randint(1 if strong else -2_000, 40_000))
    return IndicatorInput(value=value, previous=previous)


MAKERS: dict[Kind, Callable[[random.Random, bool], IndicatorInput]] = {
    Kind.DOCUMENT: _document,
    Kind.SHARE_AT_LEAST: _share,
    Kind.RATE_BELOW: _rate,
    Kind.DROP_AT_LEAST: _drop,
    Kind.INCREASE: _increase,
}


def unit_measurements(rng: random.Random, catalogue: CatalogueSpec) -> dict[str, IndicatorInput]:
    """One unit's data: a strong unit passes everything it reports, a weaker one fails some;
    some indicators are missing and a few marked not applicable."""
    strong = rng.random() < STRONG_SHARE
    missing = MISSING_SHARE / 4 if strong else MISSING_SHARE
    measurements = {}
    for spec in catalogue.iter_indicators():
        draw = rng.random()
        if draw < NOT_APPLICABLE_SHARE:
            measurements[spec.code] = IndicatorInput(
                not_applicable=True, reason="Không có đối tượng"
            )
        elif draw >= NOT_APPLICABLE_SHARE + missing:
            measurements[spec.code] = MAKERS[spec.kind](rng, strong)
    return measurements


def evaluate_all(
    catalogue: CatalogueSpec, units: list[dict[str, IndicatorInput]]
) -> list[Evaluation]:
    return [evaluate(catalogue, measurements) for measurements in units]


def evaluate_all_as_json(
    catalogue: CatalogueSpec, units: list[dict[str, IndicatorInput]]
) -> list[dict[str, object]]:
    """What `manage.py evaluate --format json` does per unit: score, then the JSON document."""
    return [
        evaluate(catalogue, measurements).to_json(2022, f"U{number}")
        for number, measurements in enumerate(units)
    ]


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], units: int) -> None:
    best, median = min(times), statistics.median(times)
    verdict = "under" if best < TARGET_SECONDS else "OVER"
    print(
        f"{label:<22} best {best:.3f} s, median {median:.3f} s"
        f" ({units / best:,.0f} units/s at best; {verdict} the {TARGET_SECONDS:g} s target)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2022)
    options = parser.parse_args()

    catalogue = hai_phong_catalogue()
    rng = random.Random(options.seed)
    units = [unit_measurements(rng, catalogue) for _ in range(options.units)]
    indicator_count = sum(1 for _ in catalogue.iter_indicators())
    verdicts = Counter(e.verdict.value for e in evaluate_all(catalogue, units))
    statuses = Counter(r.status.value for e in evaluate_all(catalogue, units) for r in e.indicators)

    print(
        f"{options.units} units × {indicator_count} indicators, seed {options.seed},"
        f" {options.repeat} repetitions, Python {sys.version.split()[0]}"
    )
    print(f"verdicts: {dict(sorted(verdicts.items()))}")
    print(f"indicator statuses: {dict(sorted(statuses.items()))}")
    report("evaluate", timed(lambda: evaluate_all(catalogue, units), options.repeat), len(units))
    report(
        "evaluate + to_json",
        timed(lambda: evaluate_all_as_json(catalogue, units), options.repeat),
        len(units),
    )


if __name__ == "__main__":
    main()
