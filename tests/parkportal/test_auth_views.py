"""Signing in and out, and the frame every signed-in page shares."""

import pytest
from django.urls import reverse

PASSWORD = "correct-horse-battery"  # what tests.factories.UserFactory sets


def test_anonymous_home_redirects_to_login_with_next(client, db):
    response = client.get(reverse("reports:home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in content
    assert "园区经济运行监测平台" in content
    assert ">用户名</label>" in content
    assert ">密码</label>" in content
    assert ">登录</button>" in content
    # No navigation and no sign-out before signing in.
    assert "退出" not in content
    assert "月度填报" not in content


def test_wrong_password_shows_a_chinese_error(client, leader):
    response = client.post(reverse("login"), {"username": "leader", "password": "wrong"})

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client, leader):
    response = client.post(
        reverse("login"), {"username": "leader", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_login_keeps_next_in_the_form(client, db):
    response = client.get(reverse("login"), {"next": "/admin/"})

    assert 'name="next" value="/admin/"' in response.content.decode()


def test_login_ignores_a_foreign_next(client, leader):
    response = client.post(
        reverse("login"),
        {"username": "leader", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("reports:home")


def test_login_then_home_shows_the_parks(client, leader, park_a, park_b):
    response = client.post(
        reverse("login"), {"username": "leader", "password": PASSWORD}, follow=True
    )

    content = response.content.decode()
    assert response.redirect_chain == [(reverse("reports:home"), 302)]
    assert "长古城工业园" in content
    assert "白合工业园" in content


def test_frame_shows_name_role_and_logout_form(client, staff_a):
    client.force_login(staff_a)

    content = client.get(reverse("reports:home")).content.decode()

    assert "staff_a" in content
    assert "园区填报员" in content
    assert f'<form class="site-user__logout" method="post" action="{reverse("logout")}">' in content
    assert "csrfmiddlewaretoken" in content


def test_the_navigation_links_every_section(client, leader):
    client.force_login(leader)

    content = client.get(reverse("reports:home")).content.decode()

    assert "即将上线" not in content
    assert f'href="{reverse("indicators:entry_start")}"' in content
    assert f'href="{reverse("reports:year_end")}"' in content


@pytest.mark.parametrize(
    ("user_fixture", "shows_admin"),
    [("staff_a", False), ("leader", False), ("admin_user", True)],
)
def test_admin_link_is_shown_to_admins_only(client, request, user_fixture, shows_admin):
    client.force_login(request.getfixturevalue(user_fixture))

    content = client.get(reverse("reports:home")).content.decode()

    assert (reverse("admin:index") in content) is shows_admin
    assert ("管理后台" in content) is shows_admin


def test_logout_by_post_signs_out(client, leader):
    client.force_login(leader)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("reports:home")).status_code == 302


def test_logout_by_get_is_not_allowed(client, leader):
    client.force_login(leader)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_unknown_page_shows_the_chinese_404(client, leader):
    client.force_login(leader)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_admin_pages_carry_the_portal_favicon(client, admin_user):
    client.force_login(admin_user)

    content = client.get(reverse("admin:index")).content.decode()

    assert "images/favicon.svg" in content
    assert "园区经济运行监测平台 · 管理后台" in content
