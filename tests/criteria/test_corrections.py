"""The portal's own corrections of a shipped criteria set (docs/catalogue-corrections.md): each a
data migration that changes exactly the rows it names, and reverses."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("criteria", "0005_criteria_set_example")]
AFTER = [("criteria", "0006_activity_kind")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_3_2_1_and_3_2_2_of_the_shipped_set_become_activities_and_nothing_else():
    old = migrate(BEFORE)
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
        new = migrate(AFTER)
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
        back = migrate(BEFORE)
        assert set(
            back.get_model("criteria", "Indicator").objects.values_list("kind", flat=True)
        ) == {"document"}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
