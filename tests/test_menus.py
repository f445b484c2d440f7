"""Each role sees only what it can use (issue 15, item 6): what the menu offers each persona, and
that no link of the menu's pages leads anyone to a 403 — a page that knows the person may not
open a page does not link to it (assignments/permissions.py says who may)."""

import html
import re

import pytest
from django.urls import reverse

from criteria.models import Indicator, ListSource

pytestmark = pytest.mark.django_db

PERSONAS = (
    "standing_office",
    "division",
    "other_division",
    "district_a",
    "district_b",
    "committee",
    "administrator",
)


def menu_links(page: str) -> list[str]:
    """The links of the main menu (templates/_nav_items.html) on a page."""
    start = page.index('<ul class="navbar-nav')
    return links(page[start : page.index("</ul>", start)])


def links(page: str) -> list[str]:
    """Every same-site link of a page, once each, in page order (static files aside)."""
    found = (html.unescape(href) for href in re.findall(r'href="(/[^"]*)"', page))
    return list(dict.fromkeys(href for href in found if not href.startswith("/static/")))


def status_of(client, url: str) -> int:
    """The status a link ends on (followed through its redirects), a download read to its end."""
    response = client.get(url, follow=True)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize(
    ("persona", "has_my_work"),
    [
        ("standing_office", True),
        ("division", True),
        ("other_division", True),  # a department assigned nothing: its page says so
        ("district_a", True),
        ("committee", False),
        ("administrator", False),  # a superuser in no department
    ],
)
def test_my_work_is_in_the_menu_of_a_department_member_only(client_for, persona, has_my_work):
    page = client_for(persona).get(reverse("criteria:catalogue")).content.decode()
    assert (reverse("measurements:my_work") in menu_links(page)) is has_my_work


def test_the_committees_menu_leads_to_the_dashboard_not_to_a_work_of_its_own(client_for):
    page = client_for("committee").get("/", follow=True).content.decode()
    assert menu_links(page) == [
        reverse("criteria:catalogue"),
        reverse("assignments:overview"),
        reverse("evaluation:index"),
        reverse("evidence:evidence_home"),
    ]


def test_no_link_of_a_menu_page_answers_403(client_for, world):
    """Every persona's menu pages, and every same-site link on them (one level): none is a 403.
    The city's 1.1.2 is counted from the committee's recognitions of the districts, so that the
    city's dashboard links to the district matrix behind it (which no district office opens)."""
    Indicator.objects.filter(pk=world.indicator("1.1.2").pk).update(
        list_source=ListSource.DISTRICT_VERDICTS
    )
    refused = []
    for persona in PERSONAS:
        client = client_for(persona)
        menu = menu_links(client.get(reverse("criteria:catalogue")).content.decode())
        checked = set()
        for page_url in menu:
            response = client.get(page_url, follow=True)
            if response.status_code == 403:
                refused.append(f"{persona}: the menu → {page_url}")
                continue
            for url in links(response.content.decode()):
                if url not in checked:
                    checked.add(url)
                    if status_of(client, url) == 403:
                        refused.append(f"{persona}: {page_url} → {url}")
        client.logout()
    assert refused == [], "links that answer 403:\n" + "\n".join(refused)
