"""Every page of every role's menu, and the pages a role works in, checked by axe-core against
WCAG 2.0, 2.1 and 2.2 A and AA, at a desk (1366 px) and on a phone (390 px), on the demo data,
in Vietnamese; and once more in English at a desk.

axe-core is vendored in tests/browser/vendor/axe-core (its licence beside it); the pages keep
their Content-Security-Policy, which only this test's browser bypasses to inject the script.
Beside axe's rules (its target-size rule switched on), checks axe does not make:
- every link and button in a table is at least 24 × 24 px (WCAG 2.5.8, without the spacing
  exception axe allows);
- nothing makes the page wider than the window, and a table wider than its room scrolls in its
  own box (WCAG 1.4.10);
- the navigation bar is one line, every label on it whole: the whole menu at a desk (1366 px),
  the site's name and the menu button on a phone (390 px);
- on an English page, every text written in Vietnamese (a letter only Vietnamese uses: ă, ơ, ư,
  đ, ạ, …) sits inside an element marked ``lang="vi"`` (WCAG 3.1.2).
Any violation fails with its rule, the elements and the page.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings

from assignments.permissions import GROUPS
from tests.browser.conftest import CHROMIUM, FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor/axe-core/axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = (1366, 390)
PASSWORD = "axe-check-2026"
MISSING_PAGE = "/khong-co-trang-nay/"  # the error page
VISITOR = "visitor"  # not logged in
VISITOR_PAGES = ["/accounts/login/", "/accounts/password_reset/"]
#: The demo accounts, one per role, and the pages each works in beyond its menu.
ROLES = {
    "thuongtruc": [
        "/data/2022/HP/3.1.5/",
        "/data/2022/HP/3.2.3/lines/",
        "/data/2022/HP/2.1.1/list/",
        "/review/",
        "/data/import/",
        "/dashboard/2022/what-if/",
        "/dashboard/2022/HP-AD/decision/",
        "/dashboard/2022/HP-AD/decision/document/",
        "/dashboard/2022/meetings/",
        "/dashboard/2022/meetings/new/",
        "/dashboard/2022/members/",
        "/dashboard/2022/meetings/2/",
        "/dashboard/2022/meetings/2/files/",
        "/dashboard/2022/meetings/2/minutes/",
        "/dashboard/2022/report/document/",
        "/dashboard/2022/HP/report/narrative/",
        "/dashboard/2022/proposal/",
        "/dashboard/2022/decision-draft/",
        "/dashboard/2022/HP-LC/records/1/",
        "/dashboard/2022/HP/trends/",
        "/evidence/coverage/2022/",
        "/evidence/review/",
        "/criteria/sets/import/",
        "/dashboard/2022/report/",
        "/dashboard/documents/",
        MISSING_PAGE,
    ],
    "vanphong": ["/data/2022/HP/2.2.1/", "/my-work/"],
    "cctt": ["/data/2022/HP/3.2.3/lines/?department=THPT"],
    "pgd.hongbang": [
        "/dashboard/2022/HP-HB/report/",
        "/dashboard/2022/HP-HB/report/narrative/",
        "/data/2022/HP-HB/1.1.1/",
        "/data/2022/HP/3.2.3/",
        "/data/2022/HP/3.2.3/lines/",
    ],
    "bcd": ["/dashboard/2022/districts/", "/dashboard/2022/what-if/"],
    "quantri": [
        "/administration/accounts/",
        "/administration/accounts/new/",
        "/administration/accounts/import/",
        "/administration/tasks/",
        "/administration/tasks/4/",
        "/administration/years/2022/rounds/district/",
        "/administration/years/",
        "/administration/years/2022/lock/",
        "/administration/years/2021/reopen/",
        "/administration/log/",
        "/administration/units/",
        "/administration/units/HP-HB/",
        "/administration/api/",
    ],
}
RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    rules: {"target-size": {enabled: true}},
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary),
  }));
}
"""


SMALL_TARGETS = """
() => [...document.querySelectorAll("table a[href], table button, table summary")]
  .filter(e => e.getClientRects().length)
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width < 24 || r.height < 24)
  .slice(0, 5)
  .map(([e, r]) => `${e.tagName.toLowerCase()} «${e.textContent.trim().slice(0, 40)}» ` +
                   `${Math.round(r.width)}×${Math.round(r.height)} px`)
"""
OVERFLOW = """
() => {
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth) found.push(`the page is ${page} px wide`);
  document.querySelectorAll("table").forEach(table => {
    const width = table.getBoundingClientRect().width;
    const room = table.parentElement.getBoundingClientRect().width;
    if (width > room + 1 && !table.closest(".table-responsive")) {
      found.push(`a table of ${Math.round(width)} px in ${Math.round(room)} px has no scroll box`);
    }
  });
  return found;
}
"""
NAV_LINES = """
() => {
  const nav = document.querySelector("nav.portal-nav");
  const parts = [...nav.querySelectorAll(
    ".navbar-brand, .navbar-toggler, .navbar-nav > .nav-item, .portal-nav-tools > *"
  )].filter(e => e.getClientRects().length);
  const boxes = parts.map(e => e.getBoundingClientRect());
  const name = e => `«${e.textContent.trim().replace(/\\s+/g, " ").slice(0, 30)}»`;
  const found = [];
  if (Math.max(...boxes.map(r => r.top)) >= Math.min(...boxes.map(r => r.bottom))) {
    found.push("the bar wraps: " + parts.map((e, i) =>
      `${name(e)} at ${Math.round(boxes[i].top)}–${Math.round(boxes[i].bottom)} px`).join(", "));
  }
  nav.querySelectorAll(".navbar-nav .nav-link").forEach(link => {
    const style = getComputedStyle(link);
    const text = link.getBoundingClientRect().height
      - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    if (link.getClientRects().length && text > 1.5 * parseFloat(style.lineHeight)) {
      found.push(`${name(link)} breaks over ${Math.round(text)} px of text`);
    }
  });
  return found;
}
"""
UNMARKED_VIETNAMESE = r"""
() => {
  const vietnamese = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯ]/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!vietnamese.test(text) || element.closest("script, style")) continue;
    if (!element.closest("[lang]").lang.startsWith("vi")) {
      found.push(`${element.tagName.toLowerCase()} «${text.slice(0, 60)}»`);
    }
  }
  return found.slice(0, 8);
}
"""


@pytest.fixture
def axe_page(live_server):
    """A browser that bypasses the pages' CSP (to inject axe-core), nothing else changed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-axe-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            locale="vi-VN",
            extra_http_headers={"Accept-Language": "vi"},
            viewport={"width": 1366, "height": 900},
            bypass_csp=True,
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        yield page
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


def _menu(page, base: str) -> list[str]:
    """The addresses of the navigation bar's links (the role's menu), in order, once each."""
    hrefs = page.eval_on_selector_all(
        "nav.navbar a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    seen = []
    for href in hrefs:
        if href.startswith("/") and href not in seen and not href.startswith("/admin/"):
            seen.append(href)
    return seen


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def _check(page, url: str, where: str, english: bool) -> list[str]:
    """The problems of one page: axe-core's violations, small targets, unmarked Vietnamese."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE)
    problems = []
    expected = 404 if url.endswith(MISSING_PAGE) else 200
    if response.status != expected:
        problems.append(f"{where}: answered {response.status}, not {expected}")
    for violation in page.evaluate(RUN_AXE, TAGS):
        nodes = "\n      ".join(violation["nodes"])
        problems.append(
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}\n      {nodes}"
        )
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        problems.append(
            f"{where}: content wider than the window\n      " + "\n      ".join(overflow)
        )
    nav = page.evaluate(NAV_LINES)
    if nav:
        problems.append(
            f"{where}: the navigation bar is not one line\n      " + "\n      ".join(nav)
        )
    small = page.evaluate(SMALL_TARGETS)
    if small:
        problems.append(f"{where}: targets under 24 × 24 px\n      " + "\n      ".join(small))
    if english:
        assert page.evaluate("document.documentElement.lang") == "en", where
        unmarked = page.evaluate(UNMARKED_VIETNAMESE)
        if unmarked:
            problems.append(
                f"{where}: Vietnamese without lang=vi\n      " + "\n      ".join(unmarked)
            )
    return problems


def test_every_page_of_every_role_passes_axe_at_desk_and_phone_width(axe_page, live_server):
    for name in GROUPS:  # made by a migration, flushed by the transactional tests before this
        Group.objects.get_or_create(name=name)
    with override_settings(DEBUG=True):  # load_demo refuses to run on a production server
        os.environ["DEMO_PASSWORD"] = PASSWORD
        try:
            call_command("load_demo", verbosity=0)
        finally:
            del os.environ["DEMO_PASSWORD"]
    page, base = axe_page, live_server.url
    problems, runs = [], 0
    for username, extra in [*ROLES.items(), (VISITOR, VISITOR_PAGES)]:
        page.set_viewport_size({"width": 1366, "height": 900})
        if username == VISITOR:
            page.context.clear_cookies()
            page.goto(f"{base}/")
        else:
            _log_in(page, base, username)
        menu = _menu(page, base)
        pages = menu + [path for path in extra if path not in menu]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in pages:
                runs += 1
                problems += _check(page, f"{base}{path}", f"{username} {width}px {path}", False)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.click("nav button[name=language][value=en]")
        page.wait_for_load_state("networkidle")
        for path in pages:
            runs += 1
            problems += _check(page, f"{base}{path}", f"{username} English {path}", True)
    print(
        f"axe-core: {runs} page × role × width runs (Vietnamese 1366 and 390 px, English 1366 px)"
    )
    assert runs >= 150
    assert not problems, f"{len(problems)} problems in {runs} runs:\n" + "\n".join(problems)
