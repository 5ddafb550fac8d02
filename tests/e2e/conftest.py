"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Never downloads a browser: without /usr/bin/chromium the tests are skipped loudly,
and fail when the CI environment variable is set.
"""

import os
import warnings
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import override_settings

from tests.e2e.signin import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; Django would then
# refuse the test's own ORM calls (creating users and parks) as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"
MISSING_CHROMIUM = (
    f"浏览器测试未运行：找不到 Chromium（{CHROMIUM}）。"
    "请安装 Debian 的 chromium 软件包（apt-get install chromium）。"
)

_skipped_for_missing_chromium = False


@pytest.fixture(scope="session")
def _plain_http():
    # Without DJANGO_DEBUG the settings redirect to HTTPS and mark cookies Secure; the
    # live server speaks plain HTTP. It builds its middleware once, when it starts, so
    # the override must be in place before live_server starts.
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    """Return pytest-django's live server, started with plain-HTTP settings."""
    return live_server


@pytest.fixture(scope="session")
def chromium_path():
    """Return Debian's Chromium; skip loudly without it, or fail when CI is set."""
    global _skipped_for_missing_chromium
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        _skipped_for_missing_chromium = True
        warnings.warn(MISSING_CHROMIUM, stacklevel=1)
        pytest.skip(MISSING_CHROMIUM)
    return CHROMIUM


@pytest.fixture
def browser(chromium_path, live_server):
    """Return a headless Chromium driven by Playwright, started for one test.

    Started per test, once the test database is ready: while Playwright's event loop
    runs, Django sees an async context and hands out a second set of connections,
    which know nothing of the test database's serialized contents.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # Close the connections opened while the loop ran; nothing else would.
        connections.close_all()


class ConsoleErrors(list):
    """The console errors and uncaught exceptions a page reported."""

    def watch(self, page):
        page.on(
            "console",
            lambda message: (
                self.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.append(f"pageerror: {error}"))
        return page


@pytest.fixture
def console_errors():
    return ConsoleErrors()


@pytest.fixture
def new_page(browser, console_errors):
    """Return a factory of fresh pages (own context, zh-CN locale) that record errors."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(locale="zh-CN", **context_options)
        contexts.append(context)
        return console_errors.watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    if _skipped_for_missing_chromium:
        terminalreporter.write_sep("!", MISSING_CHROMIUM, red=True, bold=True)


@pytest.fixture
def small_zone():
    """The small zone of the report tests, with a leader (lingdao) and a park-A staff
    member (tianbao) who sign in with tests.e2e.signin.PASSWORD."""
    from parkportal.choices import Role
    from parkportal.services import user_save
    from tests.reports.small_zone import build_small_zone

    zone = build_small_zone()
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    user_save(username="tianbao", role=Role.STAFF, park_codes=["A"], password=PASSWORD)
    return zone
