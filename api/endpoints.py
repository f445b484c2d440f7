"""The read API, version 1 (`/api/v1/`), for other systems: the Ministry's national roll-up, a
provincial dashboard. Read-only (GET only; the log of calls is the only thing it writes, in the
middleware), token-authenticated (`Authorization: Bearer <token>`, issued per system by an
administrator), rate-limited per token, paginated; its OpenAPI description at `openapi.json`
and its docs page at `docs/`, from the portal's own static files.

A unit-year's results are exactly `manage.py evaluate --format json` (the same function builds
both), official or provisional as asked, and labelled: provisional results count submitted
values, and an example set's results are never official."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from assignments.models import LEVEL_OF_KIND, Unit
from criteria import scoring
from criteria.models import CriteriaSet, Criterion, Indicator, Standard
from criteria.selectors import evaluation_set_for
from evaluation.dashboard import baseline, results_json
from evaluation.models import CommitteeDecision, FrozenRecord

from .services import client_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the active system the token was issued to."""

    def authenticate(self, request: HttpRequest, token: str):
        return client_for_token(token)


api = NinjaAPI(
    title="Thành phố học tập Hải Phòng — API đọc dữ liệu",
    version="1",
    description=(
        "Read-only API of the Hai Phong Learning City portal. Every request carries "
        "`Authorization: Bearer <token>`; the administrator issues, rotates and revokes one "
        "token per system. Lists are paginated (`page`, `page_size` ≤ 500)."
    ),
    urls_namespace="api_v1",
    auth=TokenAuth(),
    throttle=[AnonRateThrottle(settings.API_RATE_REFUSED), AuthRateThrottle(settings.API_RATE)],
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


# --- Schemas -----------------------------------------------------------------------------------


class CriteriaSetOut(Schema):
    code: str
    name: str
    level: str
    legal_basis: str
    first_year: int | None
    last_year: int | None
    example: bool
    recognition_rule: str
    min_indicators_met: int | None

    @staticmethod
    def resolve_example(obj: CriteriaSet) -> bool:
        return obj.is_example


class IndicatorOut(Schema):
    code: str
    text: str
    kind: str
    threshold: str | None
    unit_of_measure: str

    @staticmethod
    def resolve_threshold(obj: Indicator) -> str | None:
        return None if obj.threshold is None else format(obj.threshold.normalize(), "f")


class CriterionOut(Schema):
    code: str
    name: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj: Criterion) -> list[Indicator]:
        return list(obj.indicators.all())


class StandardOut(Schema):
    code: str
    name: str
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj: Standard) -> list[Criterion]:
        return list(obj.criteria.all())


class CriteriaSetDetail(CriteriaSetOut):
    standards: list[StandardOut]

    @staticmethod
    def resolve_standards(obj: CriteriaSet) -> list[Standard]:
        return list(obj.standards.all())


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    parent: str | None
    valid_from: int | None
    valid_to: int | None
    successors: list[str]

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_successors(obj: Unit) -> list[str]:
        return [successor.code for successor in obj.successors.all()]


class ResultsOut(Schema):
    basis: str
    official: bool
    results: dict


class RecognitionOut(Schema):
    unit: str
    year: int
    decision: str
    number: str
    decided_on: str | None
    meeting: str

    @staticmethod
    def resolve_unit(obj: CommitteeDecision) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_decided_on(obj: CommitteeDecision) -> str | None:
        return obj.meeting.held_on.isoformat() if obj.meeting.held_on else None

    @staticmethod
    def resolve_meeting(obj: CommitteeDecision) -> str:
        return obj.meeting.kind


class RecordOut(Schema):
    id: int
    unit: str
    year: int
    decision: str
    sha256: str
    frozen_at: str
    replaces: int | None
    current: bool

    @staticmethod
    def resolve_unit(obj: FrozenRecord) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_decision(obj: FrozenRecord) -> str:
        return obj.decision.decision

    @staticmethod
    def resolve_frozen_at(obj: FrozenRecord) -> str:
        return obj.frozen_at.isoformat()

    @staticmethod
    def resolve_replaces(obj: FrozenRecord) -> int | None:
        return obj.replaces_id

    @staticmethod
    def resolve_current(obj: FrozenRecord) -> bool:
        return not hasattr(obj, "replaced_by")


class Basis(Schema):
    basis: str = "official"


# --- Endpoints ---------------------------------------------------------------------------------


@api.get("/criteria-sets/", response=list[CriteriaSetOut], summary="Criteria sets")
@paginate(PageNumberPagination, page_size=100, max_page_size=500)
def criteria_sets(request: HttpRequest) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.order_by("code")


@api.get("/criteria-sets/{code}/", response=CriteriaSetDetail, summary="A criteria set")
def criteria_set(request: HttpRequest, code: str) -> CriteriaSet:
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("position", "code"))
    criteria = Prefetch(
        "criteria",
        queryset=Criterion.objects.order_by("position", "code").prefetch_related(indicators),
    )
    standards = Prefetch(
        "standards",
        queryset=Standard.objects.order_by("position", "code").prefetch_related(criteria),
    )
    found = CriteriaSet.objects.filter(code=code).prefetch_related(standards).first()
    if found is None:
        raise HttpError(404, "No criteria set has this code.")
    return found


@api.get("/years/{year}/units/", response=list[UnitOut], summary="The units of a year")
@paginate(PageNumberPagination, page_size=100, max_page_size=500)
def units(request: HttpRequest, year: int, level: str | None = None) -> QuerySet[Unit]:
    """Every unit that exists in the year (`level`: city, district or commune)."""
    listed = (
        Unit.objects.existing_in(year)
        .select_related("parent")
        .prefetch_related(Prefetch("successors", queryset=Unit.objects.order_by("code")))
        .order_by("position", "code")
    )
    if level is not None:
        if level not in CriteriaSet.Level.values:
            raise HttpError(400, "level is city, district or commune.")
        kinds = [kind for kind, of_level in LEVEL_OF_KIND.items() if of_level == level]
        listed = listed.filter(kind__in=kinds)
    return listed


@api.get(
    "/years/{year}/units/{code}/results/",
    response=ResultsOut,
    summary="A unit-year's results (the evaluate JSON contract)",
)
def results(request: HttpRequest, year: int, code: str, query: Query[Basis]) -> dict:
    """`basis=official` (approved values) or `basis=provisional` (submitted too)."""
    if query.basis not in ("official", "provisional"):
        raise HttpError(400, "basis is official or provisional.")
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not unit.exists_in(year):
        raise HttpError(404, "No unit has this code in this year.")
    criteria_set = evaluation_set_for(unit.level, year)
    if criteria_set is None:
        raise HttpError(404, "No criteria set evaluates this unit in this year.")
    provisional = query.basis == "provisional"
    with translation.override("vi"):  # explanations read as the portal writes them
        try:
            base = baseline(criteria_set, unit, year, provisional=provisional)
        except scoring.ScoringInputError as error:
            raise HttpError(409, f"Stored values the scoring refuses: {error}") from error
        document = results_json(base.evaluation, criteria_set, unit, year)
    return {
        "basis": query.basis,
        "official": not provisional and not criteria_set.is_example,
        "results": document,
    }


@api.get(
    "/years/{year}/recognitions/",
    response=list[RecognitionOut],
    summary="The committee's recognitions of a year",
)
@paginate(PageNumberPagination, page_size=100, max_page_size=500)
def recognitions(request: HttpRequest, year: int) -> QuerySet[CommitteeDecision]:
    return (
        CommitteeDecision.objects.filter(year=year)
        .select_related("unit", "meeting")
        .order_by("unit__position", "unit__code")
    )


@api.get(
    "/years/{year}/records/",
    response=list[RecordOut],
    summary="The frozen records of a year, with their SHA-256",
)
@paginate(PageNumberPagination, page_size=100, max_page_size=500)
def records(request: HttpRequest, year: int) -> QuerySet[FrozenRecord]:
    return (
        FrozenRecord.objects.filter(year=year)
        .select_related("unit", "decision", "replaced_by")
        .order_by("unit__position", "unit__code", "frozen_at", "pk")
    )
