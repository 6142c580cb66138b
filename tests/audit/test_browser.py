"""The audit page end to end in headless Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright).

A methodologist opens the page, enters the key, filters, opens an item, sees the evidence
highlighted, submits a correction and finds it stored; screenshots go to ``test-artifacts/``.
"""
from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from feedback_nlp.store import list_corrections, open_store

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "audit"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(audit_app) -> Iterator[str]:
    """The app served by uvicorn on a loopback port, in a thread of this process."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(audit_app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
def page(tmp_path: Path):
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900}, locale="ru-RU")
        try:
            tab = browser.new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.errors = errors  # type: ignore[attr-defined]
            yield tab
        finally:
            browser.close()


def shot(tab, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def test_methodologist_filters_opens_sees_evidence_and_corrects(server, page, audit_env):
    from playwright.sync_api import expect

    ids = audit_env["ids"]
    page.goto(f"{server}/audit")
    expect(page.locator("#login")).to_be_visible()
    page.fill("#api-key", audit_env["keys"]["methodologist"])
    page.click("#login-button")
    expect(page.locator("#who")).to_contain_text("методист")
    rows = page.locator("#items tbody tr")
    expect(rows).to_have_count(9)

    # filter: Тверская область, indicator D2, negative, confidence ≥ 0.8
    page.select_option("#f-region", "Тверская область")
    page.select_option("#f-indicator", "D2")
    page.select_option("#f-polarity", "-1")
    page.fill("#f-confidence", "0.8")
    page.click("#apply")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-id", ids["t1"])
    assert "indicator=D2" in page.url and "min_confidence=0.8" in page.url
    shot(page, "list")
    page.fill("#f-confidence", "0.95")  # the rule fired with 0.9: nothing left
    page.click("#apply")
    expect(page.locator("#empty")).to_be_visible()
    page.fill("#f-confidence", "")
    page.click("#apply")
    expect(rows).to_have_count(1)

    # open the item: the evidence highlighted equals the span, the rule that fired is named
    rows.first.locator("a.open").click()
    page.wait_for_url(f"**/audit/items/{ids['t1']}")
    mark = page.locator("#text mark.ev")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("грубо")
    expect(mark).to_have_attribute("data-indicators", "D2")
    expect(page.locator("#aspects tbody tr[data-indicator='D2'] td.rule")).to_have_text("rule:грубость")
    text = page.locator("#text").inner_text()
    assert text == "В ЦЗН консультант грубо ответила и не стала слушать"
    assert text[text.index("грубо"):text.index("грубо") + 5] == mark.inner_text()
    shot(page, "item")

    # correct it: D2 becomes neutral and L1 negative is added
    expect(page.locator("#correct")).to_be_visible()
    page.select_option("#c-labels tbody tr >> nth=0 >> select.l-polarity", "0")
    page.click("#c-add")
    page.select_option("#c-labels tbody tr >> nth=1 >> select.l-indicator", "L1")
    page.select_option("#c-labels tbody tr >> nth=1 >> select.l-polarity", "-1")
    page.fill("#c-reason", "не объяснили, куда обращаться")
    page.click("#c-submit")
    expect(page.locator("#c-result")).to_contain_text("Исправление сохранено")
    expect(page.locator("#corrections li")).to_have_count(1)
    expect(page.locator("#corrections li")).to_contain_text("L1 негативная")
    shot(page, "corrected")

    store = open_store(audit_env["url"])
    try:
        stored = list_corrections(store, ids["t1"])
    finally:
        store.close()
    assert len(stored) == 1
    assert stored[0].author == "methodologist-тест" and stored[0].role == "methodologist"
    assert stored[0].labels == {"relevant": True, "general": None, "labels": [{"indicator": "D2", "polarity": 0},
                                                                              {"indicator": "L1", "polarity": -1}]}
    assert stored[0].reason == "не объяснили, куда обращаться"

    # the agreement page counts both corrections (the fixture's and this one)
    page.click("#nav-agreement")
    expect(page.locator("#summary")).to_contain_text("Сравнено отзывов: 2")
    expect(page.locator("#agreement tbody tr[data-indicator='D2'] td").nth(4)).to_have_text("1")
    shot(page, "agreement")
    assert page.errors == []  # type: ignore[attr-defined]


def test_analyst_sees_no_correction_form_and_the_key_lasts_the_session(server, page, audit_env):
    from playwright.sync_api import expect

    page.goto(f"{server}/audit/items/{audit_env['ids']['k2']}")
    page.fill("#api-key", audit_env["keys"]["analyst"])
    page.click("#login-button")
    expect(page.locator("#text mark.ev")).to_have_count(2)
    expect(page.locator("#text mark.ev").nth(0)).to_have_text("Сайт")
    expect(page.locator("#text mark.ev").nth(1)).to_have_text("очередь")
    expect(page.locator("#correct")).to_be_hidden()
    page.goto(f"{server}/audit")  # another page of the same session: no key asked
    expect(page.locator("#login")).to_be_hidden()
    expect(page.locator("#items tbody tr")).to_have_count(9)
    page.click("#logout")
    expect(page.locator("#login")).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]


def test_wrong_key_is_refused(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/audit")
    page.fill("#api-key", "fnlp_wrong")
    page.click("#login-button")
    expect(page.locator("#login-error")).to_contain_text("Ключ не принят")
    shot(page, "login-refused")


def test_chromium_is_debians_and_playwright_never_downloads():
    """CI installs Debian's chromium; Playwright is only ever pointed at it."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)")
    assert shutil.which("chromium") == str(CHROMIUM)
