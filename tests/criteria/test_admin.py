"""The catalogue in the admin: a set used by a locked year is read-only, with everything in it."""

import pytest
from django.urls import reverse

from criteria.models import CriteriaSet, EvaluationYear, Indicator, Standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(world):
    """The world's set applies to 2022, and 2022 is locked."""
    CriteriaSet.objects.filter(pk=world.criteria_set.pk).update(first_year=2022)
    EvaluationYear.objects.filter(pk=world.year.pk).update(state=EvaluationYear.State.LOCKED)
    return world


def change_url(obj) -> str:
    return reverse(f"admin:criteria_{obj._meta.model_name}_change", args=[obj.pk])


def test_locked_set_cannot_be_changed_in_the_admin(client_for, locked):
    url = change_url(locked.criteria_set)

    response = client_for("administrator").post(url, {"name": "Đổi tên", "code": "hp-test"})

    assert response.status_code == 403
    assert CriteriaSet.objects.get(pk=locked.criteria_set.pk).name == "Bộ tiêu chí hp-test"


def test_locked_set_is_shown_read_only_without_save_or_delete(client_for, locked):
    html = client_for("administrator").get(change_url(locked.criteria_set)).content.decode()

    assert 'name="_save"' not in html
    assert "deletelink" not in html


def test_indicator_of_a_locked_set_cannot_be_changed(client_for, locked):
    indicator = locked.indicator("1.1.2")

    response = client_for("administrator").post(change_url(indicator), {"threshold": "50"})

    assert response.status_code == 403
    assert Indicator.objects.get(pk=indicator.pk).threshold == 70


def test_indicator_of_a_locked_set_cannot_be_deleted(client_for, locked):
    indicator = locked.indicator("1.1.1")
    url = reverse("admin:criteria_indicator_delete", args=[indicator.pk])

    response = client_for("administrator").post(url, {"post": "yes"})

    assert response.status_code == 403
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_standard_cannot_be_added_to_a_locked_set(client_for, locked):
    url = reverse("admin:criteria_standard_add")
    data = {"criteria_set": locked.criteria_set.pk, "code": "9", "name": "Mới", "position": 9}

    response = client_for("administrator").post(url, {**data, **empty_criteria_inline()})

    assert response.status_code == 200  # the form is shown again: that set is not a choice
    assert not Standard.objects.filter(code="9").exists()


def empty_criteria_inline() -> dict[str, str]:
    prefix = "criteria"
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def test_set_of_open_years_stays_editable(client_for, world):
    html = client_for("administrator").get(change_url(world.criteria_set)).content.decode()

    assert 'name="_save"' in html
