"""Vietnamese data on a page in another language (common/templatetags/portal_tags.py): marked
lang="vi" on an English page (WCAG 3.1.2), left as it was on a Vietnamese one."""

from django import forms
from django.template import Context, Template
from django.utils import translation

from common.templatetags.portal_tags import vietnamese_fields, vietnamese_in


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load portal_tags %}" + source).render(Context(context))


def test_a_name_on_an_english_page_is_marked_vietnamese() -> None:
    html = render("{{ name|vietnamese }}", "en", name="Quận Hồng Bàng")
    assert html == '<span lang="vi">Quận Hồng Bàng</span>'


def test_a_marked_name_is_still_escaped() -> None:
    html = render("{{ name|vietnamese }}", "en", name="<b>Hồng Bàng</b>")
    assert html == '<span lang="vi">&lt;b&gt;Hồng Bàng&lt;/b&gt;</span>'


def test_a_name_on_a_vietnamese_page_is_plain_escaped_text() -> None:
    assert render("{{ name|vietnamese }}", "vi", name="<b>Hồng Bàng</b>") == (
        "&lt;b&gt;Hồng Bàng&lt;/b&gt;"
    )


def test_an_empty_value_is_not_marked_so_default_still_applies() -> None:
    assert render('{{ name|vietnamese|default:"—" }}', "en", name="") == "—"


def test_the_tag_gives_the_attribute_on_an_english_page_only() -> None:
    assert render("<td{% vietnamese_lang %}>", "en") == '<td lang="vi">'
    assert render("<td{% vietnamese_lang %}>", "vi") == "<td>"


def test_a_python_sentence_marks_only_the_name_it_puts_in() -> None:
    sentence = "The line of %(department)s & its note."
    with translation.override("en"):
        html = vietnamese_in(sentence, department="Phòng GD&ĐT")
    assert html == 'The line of <span lang="vi">Phòng GD&amp;ĐT</span> &amp; its note.'
    with translation.override("vi"):
        assert vietnamese_in(sentence, department="Phòng GD&ĐT") == (
            "The line of Phòng GD&ĐT & its note."
        )


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea)


def test_a_field_holding_vietnamese_text_takes_the_attribute_on_an_english_page_only() -> None:
    with translation.override("en"):
        form = NoteForm(initial={"note": "Theo báo cáo"})
        vietnamese_fields(form, "note", "absent")
    assert form.fields["note"].widget.attrs["lang"] == "vi"
    with translation.override("vi"):
        form = NoteForm()
        vietnamese_fields(form, "note")
    assert "lang" not in form.fields["note"].widget.attrs
