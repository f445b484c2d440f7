"""A database at the old layout (values and years in the evidence app, the committee's decision in
the project package, "not applicable" as a flag on an approved value) upgrades to the apps by
responsibility with every row, every history record, and every group permission and admin log
entry following its model."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps as current_apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from common.sentences import Sentence
from criteria.models import EvaluationYear, Round
from evaluation.models import CommitteeDecision
from evidence.models import Document, DocumentVersion, Explanation
from measurements.models import ListItem, Measurement

#: The last migrations of the old layout (commit d783e5f); the new apps had none.
OLD_LAYOUT = [
    ("assignments", "0003_plantask_completed_on"),
    ("criteria", "0003_indicator_list_source"),
    ("evidence", "0005_integrity_constraints"),
    ("learningcity", "0002_integrity_constraints"),
    ("measurements", None),
    ("evaluation", None),
]
MOVED = {  # model → (old app, new app)
    "measurement": ("evidence", "measurements"),
    "listitem": ("evidence", "measurements"),
    "evaluationyear": ("evidence", "criteria"),
    "committeedecision": ("learningcity", "evaluation"),
}


def migrate(targets: list[tuple[str, str | None]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_layout_data(old) -> dict:
    """Rows written with the models as they were at the old layout (no service exists there)."""
    user = old.get_model("auth", "User").objects.create(username="thuongtruc")
    unit = old.get_model("assignments", "Unit").objects.create(code="HP", name="HP", kind="city")
    district = old.get_model("assignments", "Unit").objects.create(
        code="HP-A", name="Quận A", kind="urban", parent=unit, is_pilot=True
    )
    criteria_set = old.get_model("criteria", "CriteriaSet").objects.create(
        code="hp", name="Bộ tiêu chí", level="city"
    )
    standard = old.get_model("criteria", "Standard").objects.create(
        criteria_set=criteria_set, code="1", name="Tiêu chuẩn 1"
    )
    criterion = old.get_model("criteria", "Criterion").objects.create(
        standard=standard, code="1.1", name="Tiêu chí 1.1"
    )
    share, document_kind = (
        old.get_model("criteria", "Indicator").objects.create(
            criterion=criterion, code=code, text=code, kind=kind, threshold=threshold
        )
        for code, kind, threshold in (
            ("1.1.1", "share_at_least", Decimal(70)),
            ("1.1.2", "document", None),
        )
    )
    year = old.get_model("evidence", "EvaluationYear").objects.create(year=2022, state="open")
    old.get_model("evidence", "HistoricalEvaluationYear").objects.create(
        id=year.pk, year=2022, state="open", history_date=timezone.now(), history_type="+"
    )
    measurement = old.get_model("evidence", "Measurement").objects.create(
        indicator=share,
        unit=unit,
        year=2022,
        numerator=57,
        denominator=80,
        status="approved",
        version=3,
        updated_by=user,
        not_applicable_reason="Ghi nhầm",  # the old admin allowed a reason on an entry that applies
    )
    old.get_model("evidence", "ListItem").objects.create(
        measurement=measurement, position=1, name="Sở Y tế", score=Decimal("85.5")
    )
    not_applicable = old.get_model("evidence", "Measurement").objects.create(
        indicator=share,
        unit=district,
        year=2022,
        status="approved",
        not_applicable=True,
        not_applicable_reason="Huyện đảo",
    )
    history = old.get_model("evidence", "HistoricalMeasurement")
    for status, flag, version in (("draft", False, 1), ("approved", True, 2)):
        history.objects.create(
            id=not_applicable.pk,
            indicator=share,
            unit=district,
            year=2022,
            status=status,
            not_applicable=flag,
            not_applicable_reason="Huyện đảo" if flag else "",
            version=version,
            updated_at=timezone.now(),
            history_date=timezone.now(),
            history_type="~",
            history_user=user,
        )
    document = old.get_model("evidence", "Document").objects.create(
        unit=unit, year=2022, title="Nghị quyết", created_by=user
    )
    document.indicators.add(document_kind)
    old.get_model("evidence", "DocumentVersion").objects.create(
        document=document,
        number=1,
        file="evidence/2022/a.pdf",
        original_name="Nghị quyết.pdf",
        sha256="a" * 64,
        size=10,
        content_type="application/pdf",
        uploaded_by=user,
    )
    old.get_model("evidence", "Explanation").objects.create(
        unit=district, year=2022, indicator=share, text="Chưa có số liệu", author=user
    )
    decision = old.get_model("learningcity", "CommitteeDecision").objects.create(
        unit=district,
        year=2022,
        meeting_date=date(2022, 12, 20),
        decision="recognized",
        number="45/QĐ-BCĐ",
        recorded_by=user,
    )
    old.get_model("learningcity", "HistoricalCommitteeDecision").objects.create(
        id=decision.pk,
        unit=district,
        year=2022,
        meeting_date=date(2022, 12, 20),
        decision="recognized",
        recorded_by=user,
        recorded_at=timezone.now(),
        history_date=timezone.now(),
        history_type="+",
    )
    return {"user": user}


def old_content_types(old, user) -> Group:
    """Content types under the old app labels, as the old layout's database had them, with a
    group's permission and an admin log entry pointing at them."""
    content_types = old.get_model("contenttypes", "ContentType").objects
    permissions = old.get_model("auth", "Permission").objects
    group = old.get_model("auth", "Group").objects.create(name="Nhóm kiểm tra chuyển ứng dụng")
    for model, (old_app, new_app) in MOVED.items():
        content_types.filter(app_label=new_app, model__in=[model, f"historical{model}"]).delete()
        for name in (model, f"historical{model}"):
            content_type = content_types.get_or_create(app_label=old_app, model=name)[0]
            permission = permissions.get_or_create(
                content_type=content_type,
                codename=f"view_{name}",
                defaults={"name": f"Can view {name}"},
            )[0]
            group.permissions.add(permission)
    LogEntry.objects.create(  # the admin's table is not part of the old state: the same today
        user_id=user.pk,
        content_type_id=content_types.get(app_label="evidence", model="measurement").pk,
        object_id="1",
        object_repr="1.1.1 — HP — 2022",
        action_flag=2,
        action_time=datetime(2022, 12, 1, tzinfo=timezone.get_current_timezone()),
    )
    return group


@pytest.mark.django_db(transaction=True)
def test_an_old_layout_database_upgrades_with_everything_in_it():
    migrate(OLD_LAYOUT)
    try:
        nodes = [node for node in OLD_LAYOUT if node[1] is not None]
        old = MigrationExecutor(connection).loader.project_state(nodes).apps
        data = old_layout_data(old)
        group = old_content_types(old, data["user"])
        migrate(latest())
    finally:
        migrate(latest())

    year = EvaluationYear.objects.get()
    assert (year.year, year.history.count()) == (2022, 1)
    share = Measurement.objects.get(unit__code="HP")
    assert (share.numerator, share.denominator, share.version) == (57, 80, 3)
    assert (share.status, share.not_applicable_reason) == ("approved", "")
    assert [item.name for item in ListItem.objects.filter(measurement=share)] == ["Sở Y tế"]
    island = Measurement.objects.get(unit__code="HP-A")
    assert (island.status, island.not_applicable_reason) == ("not_applicable", "Huyện đảo")
    assert [h.status for h in island.history.order_by("version")] == ["draft", "not_applicable"]
    document = Document.objects.get()
    assert [i.code for i in document.indicators.all()] == ["1.1.2"]
    assert DocumentVersion.objects.get().original_name == "Nghị quyết.pdf"
    assert Explanation.objects.get().text == "Chưa có số liệu"
    decision = CommitteeDecision.objects.get()
    assert (decision.number, decision.history.count()) == ("45/QĐ-BCĐ", 1)
    # Meetings came later (evaluation 0004): the decision's date became a committee meeting.
    meeting = decision.meeting
    assert (meeting.kind, meeting.year, meeting.held_on, meeting.recorded_by.username) == (
        "committee",
        2022,
        date(2022, 12, 20),
        "thuongtruc",
    )
    assert decision.history.get().meeting_id == meeting.pk
    # The pilot flag moved onto the year's districts' round (assignments 0009).
    district_round = Round.objects.get(evaluation_year__year=2022)
    assert (district_round.level, [u.code for u in district_round.pilots.all()]) == (
        "district",
        ["HP-A"],
    )
    group = Group.objects.get(pk=group.pk)
    labels = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    assert labels == {
        (new_app, f"view_{name}")
        for model, (_, new_app) in MOVED.items()
        for name in (model, f"historical{model}")
    }
    entry = LogEntry.objects.get()
    assert entry.content_type.model_class() is Measurement
    assert not ContentType.objects.filter(app_label="learningcity").exists()
    for model in (Measurement, ListItem, EvaluationYear, CommitteeDecision):
        assert current_apps.get_model(model._meta.label) is model


@pytest.mark.django_db(transaction=True)
def test_an_old_label_merges_into_a_new_one_that_exists_already():
    """The new code ran (and created its content types) before `migrate`: the old label's grants
    and log entries move onto the new one, once, and the old label goes."""
    migrate(OLD_LAYOUT)
    try:
        nodes = [node for node in OLD_LAYOUT if node[1] is not None]
        old = MigrationExecutor(connection).loader.project_state(nodes).apps
        user = old.get_model("auth", "User").objects.create(username="thuongtruc")
        group = old_content_types(old, user)
        content_types = old.get_model("contenttypes", "ContentType").objects
        twin = old.get_model("auth", "Permission").objects.create(
            content_type=content_types.create(app_label="measurements", model="measurement"),
            codename="view_measurement",
            name="Can view measurement",
        )
        migrate(latest())
    finally:
        migrate(latest())

    granted = Group.objects.get(pk=group.pk).permissions.filter(codename="view_measurement")
    assert [(p.pk, p.content_type.app_label) for p in granted] == [(twin.pk, "measurements")]
    assert LogEntry.objects.get().content_type.model_class() is Measurement
    assert not ContentType.objects.filter(app_label="evidence", model="measurement").exists()


# --- The portal's own corrections of a shipped criteria set (docs/catalogue-corrections.md) ---
# Here, after the tests that roll back serialized: migrating back and forth leaves what a flush
# recreates, which those would find in their way.

CORRECTION_BEFORE = [("criteria", "0005_criteria_set_example")]
CORRECTION_AFTER = [("criteria", "0006_activity_kind")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_3_2_1_and_3_2_2_of_the_shipped_set_become_activities_and_nothing_else():
    old = migrate_to(CORRECTION_BEFORE)
    CriteriaSet = old.get_model("criteria", "CriteriaSet")
    Indicator = old.get_model("criteria", "Indicator")
    for set_code in ("hp-city-2022", "another-set"):
        criteria_set = CriteriaSet.objects.create(code=set_code, name=set_code, level="city")
        standard = criteria_set.standards.create(code="3", name="Tiêu chuẩn 3", position=3)
        criterion = standard.criteria.create(code="3.2", name="Tiêu chí 3.2", position=2)
        for position, code in enumerate(("3.2.1", "3.2.2", "3.2.4"), start=1):
            Indicator.objects.create(
                criterion=criterion, code=code, text=code, kind="document", position=position
            )
    try:
        new = migrate_to(CORRECTION_AFTER)
        kinds = set(
            new.get_model("criteria", "Indicator").objects.values_list(
                "criterion__standard__criteria_set__code", "code", "kind"
            )
        )
        assert kinds == {
            ("hp-city-2022", "3.2.1", "activity"),
            ("hp-city-2022", "3.2.2", "activity"),
            ("hp-city-2022", "3.2.4", "document"),
            ("another-set", "3.2.1", "document"),
            ("another-set", "3.2.2", "document"),
            ("another-set", "3.2.4", "document"),
        }
        back = migrate_to(CORRECTION_BEFORE)
        assert set(
            back.get_model("criteria", "Indicator").objects.values_list("kind", flat=True)
        ) == {"document"}
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_3_1_1_of_the_shipped_set_takes_the_published_growth_rate():
    old = migrate_to([("criteria", "0007_recognition_rule_count")])
    CriteriaSet = old.get_model("criteria", "CriteriaSet")
    for set_code in ("hp-city-2022", "another-set"):
        criteria_set = CriteriaSet.objects.create(code=set_code, name=set_code, level="city")
        standard = criteria_set.standards.create(code="3", name="Tiêu chuẩn 3", position=3)
        criterion = standard.criteria.create(code="3.1", name="Tiêu chí 3.1", position=1)
        criterion.indicators.create(
            code="3.1.1", text="GRDP", kind="increase", unit_of_measure="tỷ đồng", position=1
        )
    try:
        new = migrate_to([("criteria", "0008_growth_rate")])
        rows = set(
            new.get_model("criteria", "Indicator").objects.values_list(
                "criterion__standard__criteria_set__code", "accepts_growth_rate"
            )
        )
        assert rows == {("hp-city-2022", True), ("another-set", False)}
        migrate_to([("criteria", "0007_recognition_rule_count")])  # and back
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_the_pilots_city_set_applies_to_2021_to_2023():
    old = migrate_to([("criteria", "0008_growth_rate")])
    CriteriaSet = old.get_model("criteria", "CriteriaSet")
    CriteriaSet.objects.create(code="hp-city-2022", name="HP", level="city")
    CriteriaSet.objects.create(code="tp-2025", name="TT25", level="city", first_year=2025)
    try:
        new = migrate_to([("criteria", "0009_city_set_years")])
        years = {
            code: (first, last)
            for code, first, last in new.get_model("criteria", "CriteriaSet").objects.values_list(
                "code", "first_year", "last_year"
            )
        }
        assert years == {"hp-city-2022": (2021, 2023), "tp-2025": (2025, None)}
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_stored_grdp_is_stamped_at_comparable_prices_and_poverty_is_not():
    """GRDP entries already stored were at comparable prices; a poverty rate already stored is
    of a standard nobody recorded, so it is not compared with the 2022–2025 one."""
    old = migrate_to([("criteria", "0010_count_labels"), ("measurements", "0004_growth_rate")])
    criteria_set = old.get_model("criteria", "CriteriaSet").objects.create(
        code="hp-city-2022", name="HP", level="city"
    )
    standard = criteria_set.standards.create(code="3", name="Tiêu chuẩn 3", position=3)
    criterion = standard.criteria.create(code="3.1", name="Tiêu chí 3.1", position=1)
    grdp = criterion.indicators.create(code="3.1.1", text="GRDP", kind="increase", position=1)
    poverty = criterion.indicators.create(
        code="3.1.2", text="Hộ nghèo", kind="drop_at_least", threshold=1.5, position=2
    )
    city = old.get_model("assignments", "Unit").objects.create(code="HP", name="HP", kind="city")
    stored = old.get_model("measurements", "Measurement")
    for indicator in (grdp, poverty):
        stored.objects.create(
            indicator=indicator, unit=city, year=2021, value=1, status="approved", version=1
        )
    try:
        migrate(latest())
    finally:
        migrate(latest())
    assert dict(Measurement.objects.values_list("indicator__code", "basis")) == {
        "3.1.1": "giá so sánh năm 2010",
        "3.1.2": "",
    }


@pytest.mark.django_db(transaction=True)
def test_the_activity_kind_reverses_with_an_activity_in_any_set():
    """An imported set (the example district set) may hold activities too: going back makes
    every one a document, so the old constraint returns."""
    new = migrate_to([("criteria", "0006_activity_kind")])
    criteria_set = new.get_model("criteria", "CriteriaSet").objects.create(
        code="quan-huyen-mau", name="Mẫu", level="district"
    )
    standard = criteria_set.standards.create(code="3", name="Tiêu chuẩn 3", position=3)
    criterion = standard.criteria.create(code="3.2", name="Tiêu chí 3.2", position=2)
    criterion.indicators.create(code="3.2.2", text="Sự kiện", kind="activity", position=1)
    try:
        back = migrate_to([("criteria", "0005_criteria_set_example")])
        kinds = back.get_model("criteria", "Indicator").objects.values_list("kind", flat=True)
        assert list(kinds) == ["document"]
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_stored_3_1_5_figures_become_the_solid_waste_part_and_go_back():
    """3.1.5 of the shipped set gains its two parts (90 % each); a stored 3.1.5 entry counted
    solid waste: its figures move to part a, part b starts without data. 3.1.5 of another set is
    left alone. Reversed, the figures return to the entry."""
    before = [("criteria", "0011_measured_under"), ("measurements", "0005_measured_under")]
    old = migrate_to(before)
    city = old.get_model("assignments", "Unit").objects.create(code="HP", name="HP", kind="city")
    stored = old.get_model("measurements", "Measurement")
    for set_code in ("hp-city-2022", "another-set"):
        criteria_set = old.get_model("criteria", "CriteriaSet").objects.create(
            code=set_code, name=set_code, level="city"
        )
        standard = criteria_set.standards.create(code="3", name="Tiêu chuẩn 3", position=3)
        criterion = standard.criteria.create(code="3.1", name="Tiêu chí 3.1", position=1)
        waste = criterion.indicators.create(
            code="3.1.5", text="Chất thải", kind="share_at_least", threshold=90, position=5
        )
        stored.objects.create(
            indicator=waste, unit=city, year=2022, numerator=93, denominator=100, version=3
        )
    try:
        new = migrate_to([("measurements", "0006_part_values")])
        parts = new.get_model("criteria", "IndicatorPart").objects.order_by("position")
        assert [
            (p.indicator.criterion.standard.criteria_set.code, p.code, p.threshold) for p in parts
        ] == [
            ("hp-city-2022", "a", Decimal(90)),
            ("hp-city-2022", "b", Decimal(90)),
        ]
        moved = new.get_model("measurements", "PartValue").objects.get()
        assert (moved.part.code, moved.numerator, moved.denominator, moved.version) == (
            "a",
            93,
            100,
            3,
        )
        entries = new.get_model("measurements", "Measurement").objects
        assert dict(
            entries.values_list("indicator__criterion__standard__criteria_set__code", "numerator")
        ) == {"hp-city-2022": None, "another-set": 93}

        back = migrate_to(before)
        assert sorted(
            back.get_model("measurements", "Measurement").objects.values_list(
                "numerator", "denominator"
            )
        ) == [(93, 100), (93, 100)]
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_a_typed_3_2_3_total_becomes_the_compilers_line_and_goes_back():
    """3.2.3 of the shipped set becomes the sum of reported lines; a city total already typed
    becomes the line of the division compiling it (CCTT), with its figures and review status, so
    the result is unchanged; a typed rate without counts stays. Reversed, the lines are summed
    back into one entry."""
    before = [("criteria", "0012_indicator_parts"), ("measurements", "0006_part_values")]
    old = migrate_to(before)
    city = old.get_model("assignments", "Unit").objects.create(code="HP", name="HP", kind="city")
    department = old.get_model("assignments", "Department")
    cctt = department.objects.create(code="CCTT", name="Phòng CCTT", kind="division")
    schools = department.objects.create(code="THPT", name="Các trường THPT", kind="institution")
    criteria_set = old.get_model("criteria", "CriteriaSet").objects.create(
        code="hp-city-2022", name="HP", level="city"
    )
    standard = criteria_set.standards.create(code="3", name="Tiêu chuẩn 3", position=3)
    criterion = standard.criteria.create(code="3.2", name="Tiêu chí 3.2", position=2)
    bullying = criterion.indicators.create(
        code="3.2.3", text="Bắt nạt", kind="rate_below", threshold=Decimal("0.05"), position=3
    )
    assignment = old.get_model("assignments", "Assignment")
    for who in (schools, cctt):
        assignment.objects.create(indicator=bullying, department=who, role="lead")
    stored = old.get_model("measurements", "Measurement")
    stored.objects.create(
        indicator=bullying,
        unit=city,
        year=2022,
        numerator=95,
        denominator=210000,
        status="approved",
        version=3,
        note="Tổng hợp",
    )
    try:
        new = migrate_to([("measurements", "0008_typed_totals_to_lines")])
        indicator = new.get_model("criteria", "Indicator").objects.get()
        assert indicator.list_source == "reported_lines"
        line = new.get_model("measurements", "ReportedLine").objects.get()
        assert (
            line.department.code,
            line.numerator,
            line.denominator,
            line.status,
            line.note,
        ) == ("CCTT", 95, 210000, "approved", "Tổng hợp")
        assert not new.get_model("measurements", "Measurement").objects.exists()

        back = migrate_to(before)
        entry = back.get_model("measurements", "Measurement").objects.get()
        assert (entry.numerator, entry.denominator, entry.status) == (95, 210000, "approved")
        assert back.get_model("criteria", "Indicator").objects.get().list_source == ""
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_a_turned_off_notification_email_moves_to_the_account_settings():
    old = migrate_to(
        [("notifications", "0001_initial"), ("assignments", "0007_password_reset_request")]
    )
    User = old.get_model("auth", "User")
    turned_off = User.objects.create(username="pgd.a")
    kept_on = User.objects.create(username="pgd.b")
    temporary = User.objects.create(username="pgd.c")
    old.get_model("notifications", "EmailPreference").objects.create(
        user=turned_off, wants_email=False
    )
    old.get_model("notifications", "EmailPreference").objects.create(user=kept_on, wants_email=True)
    old.get_model("notifications", "EmailPreference").objects.create(
        user=temporary, wants_email=False
    )
    old.get_model("assignments", "AccountSettings").objects.create(
        user=temporary, must_change_password=True
    )
    try:
        new = migrate_to([("notifications", "0002_email_preference_into_account_settings")])
        rows = {
            username: (must_change, wants_email)
            for username, must_change, wants_email in new.get_model(
                "assignments", "AccountSettings"
            ).objects.values_list("user__username", "must_change_password", "wants_email")
        }
        assert rows == {"pgd.a": (False, False), "pgd.c": (True, False)}
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_a_notification_written_before_still_says_its_text():
    old = migrate_to([("notifications", "0002_email_preference_into_account_settings")])
    user = old.get_model("auth", "User").objects.create(username="pgd.a")
    old.get_model("notifications", "Notification").objects.create(
        recipient=user, kind="value_approved", text="Số liệu chỉ báo 2.1.3 đã được duyệt.", link="/"
    )
    try:
        new = migrate_to([("notifications", "0003_notification_sentence")])
        notification = new.get_model("notifications", "Notification").objects.get()
        sentence = Sentence(notification.message, notification.figures)
        assert sentence.vietnamese() == "Số liệu chỉ báo 2.1.3 đã được duyệt."
        with translation.override("en"):
            assert str(sentence) == "Số liệu chỉ báo 2.1.3 đã được duyệt."
    finally:
        migrate(latest())
