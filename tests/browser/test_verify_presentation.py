"""The verify page as a visitor meets it, in real Chromium on a desktop (1280x800) and a phone
(390x844): whichever way a record comes in, the verdict takes focus and is scrolled into the
window; a look-up shows that it is working; the file control is the page's own Chinese button;
the verdict of a valid record says what its level certifies, with the technical details folded
away; the legend names every verdict; the page does not move while it loads.

Every wait is a condition polled from Python or a selector: the page's Content-Security-Policy
forbids the eval a string predicate of wait_for_function needs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _site_tour import ISSUED_HOLDERS, published_site, published_url
from conftest import REPO

pytestmark = pytest.mark.browser

SCREENS = {"desktop": (1280, 800), "phone": (390, 844)}
SHOTS = REPO / "test-artifacts" / "verify"
DEADLINE_S = 20.0

# Where the verdict's title is against the window and Material's sticky header.
PLACE = """() => {
  const box = document.getElementById('xv-result');
  const title = box.querySelector('.xv-title');
  const header = document.querySelector('.md-header').getBoundingClientRect();
  const r = title.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, headerBottom: header.bottom, height: innerHeight,
           focused: document.activeElement === box };
}"""

# Sum of layout shifts not caused by input, from the first paint on.
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({ type: 'layout-shift', buffered: true });
"""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, serve) -> str:  # type: ignore[no-untyped-def]
    return published_url(tmp_path_factory, serve)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_site(tmp_path_factory) / "verify" / "demo"


@pytest.fixture(params=list(SCREENS), scope="module")
def screen(request, browser) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    width, height = SCREENS[request.param]
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=1,
    )
    context.add_init_script(CLS_OBSERVER)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield request.param, context.new_page()
    context.close()


def open_verify(page, url: str, fragment: str = "") -> None:  # type: ignore[no-untyped-def]
    """The page with its key registry judged and its demo samples ready."""
    page.goto(f"{url}/verify/{fragment}")
    page.wait_for_selector("#xv-fingerprint")
    page.wait_for_selector("#xv-demo button[data-sample='valid.json']:enabled")


def until(what: str, check: Callable[[], object]) -> object:
    """Poll `check` until it returns something true (a busy machine is slow, not wrong)."""
    deadline = time.monotonic() + DEADLINE_S
    while not (got := check()):
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)
    return got


def in_view(place: dict[str, float]) -> bool:
    return (
        place["top"] >= place["headerBottom"] - 1
        and place["bottom"] <= place["height"]
        and bool(place["focused"])
    )


def hash_of(page, number: str, name: str) -> str:  # type: ignore[no-untyped-def]
    """The verify link's hash, by the page's own code (record.js)."""
    return str(
        page.evaluate(
            "async ([n, m]) => (await import('/assets/verify/record.js')).recordHash(n, m)",
            [number, name],
        )
    )


WAYS: dict[str, Callable[..., None]] = {}


def way(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(f: Callable[..., None]) -> Callable[..., None]:
        WAYS[name] = f
        return f

    return register


@way("file")
def _file(page, url: str, samples: Path) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    page.set_input_files("#xv-file", str(samples / "valid.json"))


@way("paste")
def _paste(page, url: str, samples: Path) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    page.fill("#xv-text", (samples / "valid.json").read_text(encoding="utf-8"))
    page.click("#xv-text-go")


@way("number-and-name")
def _look_up(page, url: str, samples: Path) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    number, name, _ = ISSUED_HOLDERS[0]
    page.fill("#xv-number", number)
    page.fill("#xv-name", name)
    page.click("#xv-lookup-go")


@way("link")
def _link(page, url: str, samples: Path) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    number, name, _ = ISSUED_HOLDERS[1]
    link = hash_of(page, number, name)
    page.goto("about:blank")
    page.goto(f"{url}/verify/#r={link}")


@way("demo-sample")
def _demo(page, url: str, samples: Path) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    page.click("#xv-demo button[data-sample='revoked.json']")


@pytest.mark.parametrize("way_in", list(WAYS))
def test_the_verdict_takes_focus_and_is_scrolled_into_the_window(  # type: ignore[no-untyped-def]
    screen, url: str, samples: Path, way_in: str
) -> None:
    name, page = screen
    WAYS[way_in](page, url, samples)
    page.wait_for_selector("#xv-result[data-verdict]")
    until("the verdict in the window", lambda: in_view(page.evaluate(PLACE)))
    expected = "certificate-revoked" if way_in == "demo-sample" else "valid"
    assert page.get_attribute("#xv-result", "data-verdict") == expected
    page.screenshot(path=str(SHOTS / f"{way_in}-{name}.png"))


def test_with_reduced_motion_the_verdict_is_there_at_once(browser, url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    page = context.new_page()
    try:
        open_verify(page, url)
        page.click("#xv-demo button[data-sample='valid.json']")
        page.wait_for_selector("#xv-result[data-verdict=valid]")
        # data-verdict is set after the scroll: with no animation the verdict is already there.
        assert in_view(page.evaluate(PLACE))
    finally:
        context.close()


def test_a_look_up_says_it_is_working_and_clears_the_old_verdict(page, url: str) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    page.click("#xv-demo button[data-sample='altered.json']")
    page.wait_for_selector("#xv-result[data-verdict=altered]")
    held: list[object] = []
    page.route(re.compile(r".*/r/[^/]+\.json$"), lambda route: held.append(route))
    number, name, _ = ISSUED_HOLDERS[0]
    page.fill("#xv-number", number)
    page.fill("#xv-name", name)
    page.click("#xv-lookup-go")
    page.wait_for_selector("#xv-result[data-busy]")
    # Playwright calls the route handler only while the test is inside a Playwright call: poll
    # with the page's own wait, not with time.sleep, or the held request is never seen.
    until("the shard request", lambda: held or page.wait_for_timeout(50))
    box = page.locator("#xv-result")
    assert box.inner_text().strip() == "正在核验…"
    assert box.get_attribute("data-verdict") is None and box.get_attribute("aria-busy") == "true"
    assert page.is_disabled("#xv-lookup-go") and page.is_disabled("#xv-text-go")
    held[0].continue_()  # type: ignore[attr-defined]
    page.wait_for_selector("#xv-result[data-verdict=valid]")
    assert page.is_enabled("#xv-lookup-go") and box.get_attribute("data-busy") is None


def test_the_file_control_is_a_chinese_button(page, url: str, samples: Path) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    drop = page.inner_text("#xv-drop")
    assert "选择记录文件" in drop and "尚未选择文件" in drop
    assert "No file" not in drop and "Choose" not in drop
    # Chromium's own control (English labels) takes no room on the screen.
    size = page.evaluate(
        "(() => { const r = document.getElementById('xv-file')"
        ".getBoundingClientRect(); return [r.width, r.height]; })()"
    )
    assert size[0] <= 1 and size[1] <= 1
    page.set_input_files("#xv-file", str(samples / "valid.json"))
    page.wait_for_selector("#xv-result[data-verdict=valid]")
    assert page.inner_text("#xv-file-name") == "已选择：valid.json"


def test_a_valid_verdict_says_what_the_level_certifies_in_plain_words(page, url: str) -> None:  # type: ignore[no-untyped-def]
    open_verify(page, url)
    number, name, _ = ISSUED_HOLDERS[0]
    page.goto(f"{url}/verify/#r={hash_of(page, number, name)}")
    page.wait_for_selector("#xv-result[data-verdict=valid]")
    main = page.inner_text("#xv-result")  # the fold is closed: only its summary shows
    assert "中级证书证明什么" in main
    assert "按《Web 前端开发职业技能等级标准》，中级的培养目标：" in main
    assert "能熟练使用 HTML 编写静态网页" in main
    for jargon in ("demo-1", "密钥登记册", "README", "urn:", "certificate-revoked"):
        assert jargon not in main
    level = page.get_attribute("#xv-result .xv-level a", "href")
    assert level and level.endswith("/standards/web-frontend/#level-2")
    assert page.request.get(level).ok
    page.click("#xv-result details.xv-tech summary")
    technical = page.inner_text("#xv-result details.xv-tech")
    assert "demo-1" in technical and re.search(r"密钥登记册\s*第 \d+ 版", technical)


def test_the_legend_names_every_verdict(page, url: str) -> None:  # type: ignore[no-untyped-def]
    app = (REPO / "site_src" / "assets" / "verify" / "app.js").read_text(encoding="utf-8")
    titles = re.findall(r"^\s+'?[a-z-]+'?: '[✔✘⚠] ([^'：]+)", app, flags=re.M)
    assert len(titles) == 12
    open_verify(page, url)
    legend = page.eval_on_selector_all(
        "table",
        "ts => ts.flatMap((t) => [...t.querySelectorAll('tbody td:first-child')]"
        ".map((c) => c.textContent))",
    )
    missing = [t for t in titles if not any(t in cell for cell in legend)]
    assert missing == []


def test_the_page_does_not_move_while_it_loads(screen, url: str) -> None:  # type: ignore[no-untyped-def]
    name, page = screen
    open_verify(page, url)
    page.wait_for_selector("#xv-demo:not([hidden])")
    cls = page.evaluate("window.__cls")
    page.screenshot(path=str(SHOTS / f"loaded-{name}.png"))
    assert cls < 0.01, f"cumulative layout shift {cls:.3f}"


def test_a_site_whose_key_registry_fails_says_so_at_the_top(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.route(re.compile(r".*/keys/registry\.json$"), lambda route: route.fulfill(status=404))
    page.goto(f"{url}/verify/")
    page.wait_for_selector("#xv-no-trust:not([hidden])")
    assert "现在无法核验任何证书记录" in page.inner_text("#xv-no-trust")
    above = page.evaluate(
        "document.getElementById('xv-no-trust').getBoundingClientRect().bottom"
        " < document.querySelector('#xcert-verify h2').getBoundingClientRect().top"
    )
    assert above
