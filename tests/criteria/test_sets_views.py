"""The criteria set pages: list, one set, Excel export and the standing office's import."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.models import StagedImport
from common.staging import staged_import_content
from criteria.forms import CriteriaWorkbookUploadForm
from criteria.importing import criteria_set_import, criteria_set_plan_from_bytes
from criteria.models import CriteriaSet, EvaluationYear
from criteria.views import IMPORT_SESSION_KEY
from tests.criteria.sheets import edited, sample_bytes, sample_sheet, set_cell
from tests.factories import make_catalogue, make_criteria_set

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes):
    file = SimpleUploadedFile("bo-tieu-chi.xlsx", content, XLSX)
    return client.post(reverse("criteria:set_import"), {"file": file})


def confirm(client):
    return client.post(reverse("criteria:set_import_confirm"))


def test_list_shows_level_legal_basis_years_lock_and_indicator_count(client, world):
    CriteriaSet.objects.filter(pk=world.criteria_set.pk).update(
        first_year=2021, last_year=2022, legal_basis="Kế hoạch 02/KH-UBND"
    )
    html = client.get(reverse("criteria:sets")).content.decode()

    row = html.split('id="set-hp-test"')[1].split("</tr>")[0]
    assert "Thành phố" in row
    assert "Kế hoạch 02/KH-UBND" in row
    assert "2021–2022" in row
    assert ">5<" in row
    assert "Chưa khóa" in row


def test_list_shows_a_set_used_by_a_locked_year_as_locked(client, world):
    EvaluationYear.objects.filter(pk=world.year.pk).update(state=EvaluationYear.State.LOCKED)

    html = client.get(reverse("criteria:sets")).content.decode()

    assert "Đã khóa" in html.split('id="set-hp-test"')[1].split("</tr>")[0]


def test_list_links_each_set_to_its_page_and_its_excel(client, world):
    html = client.get(reverse("criteria:sets")).content.decode()

    assert reverse("criteria:set", args=["hp-test"]) in html
    assert reverse("criteria:set_workbook", args=["hp-test"]) in html


def test_list_offers_the_import_to_the_standing_office_only(client_for, world):
    url = reverse("criteria:set_import")
    assert url in client_for("standing_office").get(reverse("criteria:sets")).content.decode()
    assert url not in client_for("division").get(reverse("criteria:sets")).content.decode()


def test_list_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for year in range(2020, 2026):
        make_catalogue(1, make_criteria_set(f"set-{year}", first_year=year))

    with django_assert_max_num_queries(3):
        response = client.get(reverse("criteria:sets"))

    assert response.content.decode().count('id="set-set-') == 6


def test_catalogue_links_to_the_list_of_sets(client, world):
    html = client.get(reverse("criteria:catalogue")).content.decode()

    assert f'href="{reverse("criteria:sets")}"' in html


def test_set_page_shows_its_tree(client, world):
    response = client.get(reverse("criteria:set", args=["hp-test"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="indicator-code"') == 5
    assert 'id="criterion-2.1"' in html
    assert "Tối thiểu 70 %" in html


@pytest.mark.parametrize("indicators_per_criterion", [1, 5])
def test_set_page_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, indicators_per_criterion
):
    make_catalogue(indicators_per_criterion, make_criteria_set("bo-moi", first_year=2025))

    with django_assert_max_num_queries(7):  # the tree with its indicators' parts
        response = client.get(reverse("criteria:set", args=["bo-moi"]))

    assert response.content.decode().count('class="indicator-code"') == 6 * indicators_per_criterion


def test_set_page_of_an_unknown_set_is_404(client, world):
    assert client.get(reverse("criteria:set", args=["khong-co"])).status_code == 404


def test_export_is_public_and_imports_back_to_the_same_set(client):
    criteria_set = client_import(sample_bytes())
    response = client.get(reverse("criteria:set_workbook", args=[criteria_set.code]))
    criteria_set.delete()

    assert response["Content-Type"] == XLSX
    assert criteria_set_plan_from_bytes(response.content).sheet() == sample_sheet()


def client_import(content: bytes) -> CriteriaSet:
    return criteria_set_import(plan=criteria_set_plan_from_bytes(content))


def test_blank_template_downloads_and_checks_as_a_valid_tiny_set(client):
    response = client.get(reverse("criteria:set_template"))

    assert response["Content-Disposition"] == 'attachment; filename="mau-bo-tieu-chi.xlsx"'
    assert criteria_set_plan_from_bytes(response.content).is_valid


def test_import_page_sends_anonymous_visitors_to_log_in(client, world):
    response = client.get(reverse("criteria:set_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["division", "district_a", "committee"])
def test_import_page_is_403_for_staff_other_than_the_standing_office(client_for, persona):
    assert client_for(persona).get(reverse("criteria:set_import")).status_code == 403


def test_upload_by_a_division_is_403_and_writes_nothing(client_for):
    response = upload(client_for("division"), sample_bytes())

    assert response.status_code == 403
    assert CriteriaSet.objects.count() == 1


def test_confirm_by_a_division_is_403(client_for):
    assert confirm(client_for("division")).status_code == 403


def test_upload_previews_the_tree_and_counts_and_writes_nothing(client_for):
    response = upload(client_for("standing_office"), sample_bytes())

    html = response.content.decode()
    assert 'id="import-preview"' in html
    assert "2 tiêu chuẩn, 3 tiêu chí, 5 chỉ báo" in html
    assert html.count('class="indicator-code"') == 5
    assert CriteriaSet.objects.count() == 1


def test_upload_is_staged_and_the_session_holds_only_its_id(client_for, personas):
    client = client_for("standing_office")
    content = sample_bytes()  # built once: a workbook carries the time it was written

    upload(client, content)

    staged = StagedImport.objects.get()
    assert client.session[IMPORT_SESSION_KEY] == staged.pk
    assert (staged.owner, staged.kind) == (personas["standing_office"], "criteria_set")
    assert staged.sha256 == hashlib.sha256(content).hexdigest()
    assert staged_import_content(staged) == content


def test_confirm_creates_the_previewed_set_and_shows_it(client_for):
    client = client_for("standing_office")
    upload(client, sample_bytes())

    response = confirm(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("criteria:set", args=["quan-huyen-2025"])
    assert CriteriaSet.objects.get(code="quan-huyen-2025").standards.count() == 2
    assert IMPORT_SESSION_KEY not in client.session
    assert not StagedImport.objects.exists()


def test_bad_rows_are_listed_and_nothing_can_be_confirmed(client_for):
    client = client_for("standing_office")
    content = edited(sample_bytes(), set_cell("1.1.2", "Ngưỡng", None))

    html = upload(client, content).content.decode()

    assert 'id="import-errors"' in html
    assert "Dòng 14, mã 1.1.2" in html
    assert confirm(client).status_code == 302
    assert CriteriaSet.objects.count() == 1


def test_confirm_without_a_preview_writes_nothing(client_for):
    response = confirm(client_for("standing_office"))

    assert response["Location"] == reverse("criteria:set_import")
    assert CriteriaSet.objects.count() == 1


def test_confirm_refuses_a_code_taken_since_the_preview(client_for):
    client = client_for("standing_office")
    upload(client, sample_bytes())
    make_criteria_set("quan-huyen-2025")

    response = confirm(client)

    assert response.status_code == 200
    html = response.content.decode()
    message = "Dòng 1, «Mã bộ tiêu chí»: Mã bộ tiêu chí «quan-huyen-2025» đã có; hãy dùng mã mới."
    assert html.count(message) == 1
    assert not CriteriaSet.objects.get(code="quan-huyen-2025").standards.exists()


def test_damaged_file_is_refused_clearly(client_for):
    html = upload(client_for("standing_office"), b"PK\x03\x04 not really").content.decode()

    assert "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn" in html


def test_file_larger_than_the_limit_is_refused(client_for, monkeypatch):
    monkeypatch.setattr(CriteriaWorkbookUploadForm, "MAX_BYTES", 100)

    response = upload(client_for("standing_office"), sample_bytes())

    assert "lớn hơn 1 MB" in response.content.decode()
    assert IMPORT_SESSION_KEY not in response.wsgi_request.session
