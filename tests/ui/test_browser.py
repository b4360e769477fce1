"""The desk in a real browser (Debian's Chromium, headless, through Playwright): what an analyst, a reviewer
and a viewer see and can do, keyboard-only navigation, and untrusted text shown as text. Each page's
screenshot is saved under artifacts/ui/ (or $CHIPSCREEN_UI_ARTIFACTS)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_server import PASSWORD, DeskServer

from chipscreen.paths import data_dir

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def page_for(desk: DeskServer, browser: Any) -> Iterator[Any]:
    contexts = []

    def open_as(name: str) -> Any:
        ctx = browser.new_context(base_url=desk.url)
        contexts.append(ctx)
        page = ctx.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto("/ui/screen")
        page.fill("#name", name)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/ui/screen")
        return page

    yield open_as
    for ctx in contexts:
        ctx.close()


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def screen(page: Any, name: str, country: str = "") -> None:
    page.goto("/ui/screen")
    page.fill("#name", name)
    page.fill("#country", country)
    page.click("main button[type=submit]")
    page.wait_for_selector("main h2")


def scenario(tx_id: str) -> str:
    for line in (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8").splitlines():
        if json.loads(line)["id"] == tx_id:
            return line
    raise AssertionError(tx_id)


def test_log_in_and_screen_huawei_in_chinese(page_for: Any, artifacts: Path) -> None:
    page = page_for("ana")
    shot(page, artifacts, "screen-empty")
    screen(page, "华为技术有限公司")
    first = page.locator("section.card.hit").first
    assert "Huawei" in first.locator("h3").inner_text()
    assert "hit" in first.locator("h3").inner_text()
    text = first.inner_text()
    assert "name_match" in text and "hua wei" in text and "Han read as pinyin" in text  # the explanation
    assert "Federal Register" in page.locator("main").inner_text()
    shot(page, artifacts, "screen-huawei")


def test_check_a_three_routes_scenario_and_open_its_ownership_graph(page_for: Any, artifacts: Path) -> None:
    page = page_for("ana")
    page.goto("/ui/check")
    shot(page, artifacts, "check-form")
    page.fill("#json", scenario("R3-05"))  # H20s to a 60%-owned iFlytek subsidiary, Affiliates rule suspended
    page.click("main button[type=submit]")
    page.wait_for_url("**/ui/decisions/*")
    main = page.locator("main").inner_text()
    assert "licence required" in main and "Reasons (1)" in main and "is informed" in main
    assert "15 CFR" in main  # the reason's citation
    assert "unlisted affiliate (circumvention route)" in main
    assert "Buying through a company that is not on the list" in main  # the route in plain words
    graph = page.locator("svg.graph").first  # the flag's proof tree: iFlytek's 60 % stake
    assert "IFLYTEK" in graph.inner_html() and "owns 60 %" in graph.inner_html()
    shot(page, artifacts, "decision")
    page.locator("a", has_text="ownership graph").nth(1).click()
    page.wait_for_url("**/ui/ownership*")
    assert "Hefei Xunfei Compute Services" in page.locator("main h2").inner_text()
    assert page.locator("svg.graph").count() >= 1
    assert "IFLYTEK" in page.locator("svg.graph").first.inner_html()
    shot(page, artifacts, "ownership-graph")


def test_a_cleared_possible_match_is_suppressed_when_screened_again(page_for: Any, artifacts: Path) -> None:
    page = page_for("ana")
    screen(page, "Sense Time Shanghai", "CN")
    card = page.locator("section.card").first
    listed = card.locator("h3").inner_text().split(" (")[0]
    card.locator("a", has_text="case").click()
    page.wait_for_url("**/ui/cases/*")
    shot(page, artifacts, "case-open")
    page.check("input[value=false_positive]")
    page.fill("#comment", "a different SenseTime company: other address and USCC")
    page.click("text=Record disposition")
    assert "cleared by ana on" in page.locator("main").inner_text()
    screen(page, "Sense Time Shanghai", "CN")
    cleared = page.locator("section.card.cleared")
    assert cleared.count() == 1 and listed in cleared.inner_text()
    assert "other address and USCC" in cleared.inner_text()
    shot(page, artifacts, "screen-suppressed")


def test_a_reviewer_approves_a_true_match_and_nobody_approves_their_own(page_for: Any, artifacts: Path) -> None:
    ana = page_for("ana")
    screen(ana, "Inspur Group", "CN")
    ana.locator("section.card").first.locator("a", has_text="case").click()
    ana.wait_for_url("**/ui/cases/*")
    case_url = ana.url
    ana.check("input[value=true_match]")
    ana.fill("#comment", "same company and address")
    ana.click("text=Record disposition")
    assert "pending" in ana.locator("main").inner_text()
    assert ana.locator("text=Approve").count() == 0  # an analyst has no approval to give
    rev = page_for("rev")
    rev.goto(case_url)
    shot(rev, artifacts, "case-pending")
    rev.click("main button:has-text('Approve')")
    main = rev.locator("main").inner_text()
    assert "closed" in main and "approved by rev" in main
    shot(rev, artifacts, "case-approved")
    screen(rev, "Biren Technology", "CN")  # a reviewer's own disposition waits for another
    rev.locator("section.card").first.locator("a", has_text="case").click()
    rev.check("input[value=escalate]")
    rev.fill("#comment", "ask legal")
    rev.click("text=Record disposition")
    assert "another reviewer must approve it" in rev.locator("main").inner_text()


def test_a_reviewer_sends_a_disposition_back_and_the_case_opens_again(page_for: Any, artifacts: Path) -> None:
    alf = page_for("alf")
    screen(alf, "Moore Threads Technology", "CN")
    alf.locator("section.card").first.locator("a", has_text="case").click()
    alf.wait_for_url("**/ui/cases/*")
    alf.check("input[value=escalate]")
    alf.fill("#comment", "same name, ask legal")
    alf.click("text=Record disposition")
    rev = page_for("rev")
    rev.goto(alf.url)
    rev.fill("#send-back-comment", "compare the addresses first")
    rev.click("main button:has-text('Send back')")
    main = rev.locator("main").inner_text()
    assert "Sent back by rev" in main and "compare the addresses first" in main and "was escalate by alf" in main
    assert rev.locator("text=Record disposition").count() == 1  # open again for a new disposition
    shot(rev, artifacts, "case-sent-back")


def test_a_viewer_is_refused(page_for: Any, artifacts: Path) -> None:
    page = page_for("vic")
    page.goto("/ui/queue")
    page.locator("main table a").first.click()
    assert page.locator("text=Record disposition").count() == 0
    page.goto("/ui/check")
    page.fill("#json", scenario("X-03"))
    page.click("main button[type=submit]")
    assert "vic (viewer) may not screen" in page.locator("main").inner_text()
    shot(page, artifacts, "viewer-refused")


def test_an_html_name_is_shown_as_text(page_for: Any, artifacts: Path) -> None:
    page = page_for("ana")
    screen(page, XSS)
    assert XSS in page.locator("main h2").inner_text()
    page.goto("/ui/check")
    tx = json.loads(scenario("X-03"))
    tx["id"] = XSS
    tx["parties"][0]["name"] = XSS
    page.fill("#json", json.dumps(tx))
    page.click("main button[type=submit]")
    page.wait_for_url("**/ui/decisions/*")
    assert XSS in page.locator("main").inner_text()
    assert page.locator("main img").count() == 0 and page.dialogs == []
    shot(page, artifacts, "xss-as-text")


def assert_tab_reaches_every_control(page: Any) -> None:
    """Tab alone from the top of the page reaches each visible control (a radio group is one stop: its other
    buttons are reached with the arrow keys, as browsers do)."""
    controls = page.eval_on_selector_all(
        "a[href], button:not([hidden]), input:not([type=hidden]), select, textarea",
        """els => { const groups = new Set();
                    return els.filter(e => e.offsetParent !== null)
                              .filter(e => e.type !== "radio" || (!groups.has(e.name) && groups.add(e.name)))
                              .map(e => e.outerHTML); }""")
    reached: set[str] = set()
    for _ in range(len(controls) * 2 + 5):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.outerHTML"))
    missing = [c for c in controls if c not in reached]
    assert not missing, missing[:5]


@pytest.mark.parametrize("path", ["/ui/screen", "/ui/check", "/ui/queue", "/ui/replay", "/ui/lists", "/ui/monitor"])
def test_tab_alone_reaches_every_control(page_for: Any, path: str) -> None:
    page = page_for("ana")
    page.goto(path)
    assert_tab_reaches_every_control(page)


def test_tab_alone_reaches_the_disposition_form_and_the_decision_links(page_for: Any) -> None:
    page = page_for("ana")
    screen(page, "Sugon", "CN")
    page.locator("section.card").first.locator("a", has_text="case").click()
    page.wait_for_url("**/ui/cases/*")
    assert_tab_reaches_every_control(page)
    page.goto("/ui/check")
    page.fill("#json", scenario("X-01"))
    page.click("main button[type=submit]")
    page.wait_for_url("**/ui/decisions/*")
    assert_tab_reaches_every_control(page)
