import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assignments.models import Unit
from assignments.selectors import city
from criteria import scoring
from criteria.labels import STATUS_LABELS, VERDICT_LABELS
from criteria.selectors import evaluation_set_for, latest_year
from criteria.whatif import load_what_if, parse_what_if
from evaluation.dashboard import baseline, results_json


class Command(BaseCommand):
    help = (
        "Evaluate a unit for a year: every indicator, criterion and standard, and the verdict. "
        "Counts approved values (with --include-submitted, submitted ones too). "
        "--what-if FILE replaces entries for this run only; nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="default: the latest evaluation year")
        parser.add_argument("--unit", help="unit code (default: the city)")
        parser.add_argument("--what-if", dest="what_if", type=Path, help="JSON file of values")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--include-submitted",
            action="store_true",
            help="the provisional picture: approved and submitted values",
        )

    def handle(self, *args: object, **options: object) -> None:
        translation.activate("vi")
        year = latest_year() if options["year"] is None else options["year"]
        if year is None:
            raise CommandError("Chưa có năm đánh giá nào: hãy chỉ rõ --year.")
        if not 1900 <= year <= 2100:
            raise CommandError(f"Năm {year} không hợp lệ (từ 1900 đến 2100).")
        code = options["unit"]
        unit = Unit.objects.filter(code=code).first() if code else city()
        if unit is None:
            raise CommandError(
                f"Không có đơn vị mã «{code}»." if code else "Chưa có đơn vị thành phố nào."
            )
        criteria_set = evaluation_set_for(unit.level, year)
        if criteria_set is None and not unit.is_city:
            raise CommandError(
                f"Chưa có bộ tiêu chí quận/huyện cho năm {year}: {unit.name} chưa có kết quả "
                "đánh giá (không đánh giá quận/huyện theo các chỉ báo của thành phố)."
            )
        if criteria_set is None:
            raise CommandError(
                f"Không có bộ tiêu chí nào áp dụng cho {unit.name} năm {year} "
                "(python manage.py load_catalogue, hoặc import_criteria)."
            )
        try:
            base = baseline(criteria_set, unit, year, provisional=options["include_submitted"])
        except scoring.ScoringInputError as error:
            raise CommandError(f"Số liệu đã lưu không hợp lệ — {error}") from error
        try:
            overrides = self._what_if(options["what_if"], base.catalogue)
            evaluation = base.scenario(overrides) if overrides else base.evaluation
        except scoring.ScoringInputError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            document = results_json(evaluation, criteria_set, unit, year)
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            if criteria_set.is_example:
                self.stdout.write(
                    f"Bộ tiêu chí mẫu minh hoạ «{criteria_set.name}»: kết quả dưới đây chỉ là "
                    "mẫu, không phải kết quả chính thức."
                )
            self._table(evaluation, unit, year, options["include_submitted"], bool(overrides))

    def _what_if(self, path: Path | None, catalogue: scoring.CatalogueSpec) -> dict:
        if path is None:
            return {}
        try:
            text = path.read_text(encoding="utf-8-sig")  # Notepad writes a byte-order mark
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Không đọc được tệp kịch bản {path}: {error}") from error
        return parse_what_if(catalogue, load_what_if(text))

    def _table(
        self,
        evaluation: scoring.Evaluation,
        unit: Unit,
        year: int,
        provisional: bool,
        what_if: bool,
    ) -> None:
        basis = "tạm tính (đã duyệt và đã gửi)" if provisional else "chính thức (số liệu đã duyệt)"
        self.stdout.write(f"{unit.name} ({unit.code}) — năm {year} — kết quả {basis}")
        if what_if:
            self.stdout.write("Có áp dụng kịch bản thử (không lưu).")
        self.stdout.write("")
        for result in evaluation.indicators:
            label = str(STATUS_LABELS[result.status.value])
            self.stdout.write(f"  {result.code:<7} {label:<16} {result.explanation}")
        self.stdout.write("")
        for group in (*evaluation.criteria, *evaluation.standards):
            kind = "Tiêu chí" if "." in group.code else "Tiêu chuẩn"
            label = STATUS_LABELS[group.status.value]
            self.stdout.write(f"  {kind} {group.code}: {label}")
        verdict = VERDICT_LABELS[evaluation.verdict.value]
        self.stdout.write("")
        met, total = evaluation.met_count, len(evaluation.indicators)
        self.stdout.write(f"Kết luận: {verdict} — {met}/{total} chỉ báo đạt.")
