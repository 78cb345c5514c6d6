"""
The browser the admin's browser tests drive (Debian's Chromium, through Playwright's sync
API) and their pages: fixtures of tests/conftest.py, so that every module shares the one
session-wide Playwright, which cannot run twice at once in a thread.
"""

import os
import shutil
import subprocess

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")


def find_chromium():
    """Locate Debian's Chromium, installing it with apt where this process may; else None."""
    for name in CHROMIUM_CANDIDATES:
        if path := shutil.which(name):
            return path
    apt_get = shutil.which("apt-get")
    if os.geteuid() == 0 and apt_get:
        # Debian's package, never Playwright's own browser download.
        subprocess.run(  # noqa: S603 - fixed arguments
            [apt_get, "install", "-y", "-qq", "chromium"],
            capture_output=True,
            check=False,
            timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return shutil.which("chromium")
    return None


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = find_chromium()
    if path is None:
        pytest.skip(
            "Chromium is not installed and could not be installed (apt-get install chromium)"
        )
    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the Content-Security-Policy refused anything on it."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.refused = []
    page.on(
        "console",
        lambda message: (
            page.refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert page.refused == [], page.refused


@pytest.fixture
def second_page(browser):
    """A page in a browser of its own (another person's), closed with its connections after
    the test: a connection left open would end in the live server's thread after the server
    stopped sharing the in-memory SQLite database with it (an error in that thread)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()
