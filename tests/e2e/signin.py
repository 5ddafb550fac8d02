"""Signing in, as the browser tests do."""

from playwright.sync_api import expect

PASSWORD = "Lingdao-2026!"  # the password of the small zone's users (conftest.small_zone)


def sign_in(page, live_server, username="lingdao", password=PASSWORD):
    """Sign in on the log-in page and wait for the site's navigation."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
