"""Control characters in a request's parameters are refused before any view runs.

NUL and the other control characters (tab, LF and CR aside) in a GET or POST key or
value get a 400 page in Chinese that names the field, and nothing is written. Views
marked with @handles_control_characters check their input themselves.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import path, reverse

from parkportal import urls as portal_urls
from parkportal.choices import IndustryGroup
from parkportal.middleware import handles_control_characters
from parkportal.models import Industry
from tests.factories import IndustryFactory

pytestmark = pytest.mark.django_db

MESSAGE = "提交的内容含有不可见的控制字符（如 NUL），本次未保存任何数据；请删除后重新提交。"


def echo(request):
    """Answer with what the request sent (a view that reads its input itself)."""
    fields = {**request.GET.dict(), **request.POST.dict()}
    files = {key: upload.read() for key, upload in request.FILES.items()}
    return HttpResponse(repr((fields, files)), content_type="text/plain")


@handles_control_characters
def echo_own_check(request):
    """Answer as echo does, but check control characters itself (here: let them be)."""
    return echo(request)


urlpatterns = [
    path("echo/", echo),
    path("echo/own-check/", echo_own_check),
    path("echo/signed-in/", login_required(echo_own_check)),
    *portal_urls.urlpatterns,
]


def assert_refused(response, field):
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    assert f"<strong>{field}</strong>" in page
    assert "Content-Security-Policy" in response


def test_nul_in_a_get_parameter_is_refused_with_the_chinese_page(client, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:home"), {"park": "A\x00"})
    assert_refused(response, "park")
    assert "含有控制字符的网址参数" in response.content.decode()


def test_nul_in_a_log_in_is_refused_and_nothing_is_recorded(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a\x00", "password": "x"})
    assert_refused(response, "username")
    assert "含有控制字符的表单" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()
    assert not AccessLog.objects.exists()
    assert "_auth_user_id" not in client.session


def test_nul_in_an_admin_change_form_changes_nothing(client, admin_user):
    industry = IndustryFactory(name="食品加工", group=IndustryGroup.TRADITIONAL)
    client.force_login(admin_user)
    url = reverse("admin:parkportal_industry_change", args=[industry.pk])
    data = {"name": "食品\x00加工", "group": IndustryGroup.EMERGING, "sort_order": "3"}

    assert_refused(client.post(url, data), "name")
    industry.refresh_from_db()
    assert (industry.name, industry.group, industry.sort_order) == ("食品加工", "traditional", 0)
    assert industry.history.count() == 1
    assert not LogEntry.objects.exists()

    added = client.post(reverse("admin:parkportal_industry_add"), {**data, "name": "新\x00产业"})
    assert_refused(added, "name")
    assert Industry.objects.count() == 1


@pytest.mark.parametrize(
    "character", ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f"]
)
def test_every_control_character_is_refused(client, character):
    assert client.get("/echo/", {"q": f"a{character}b"}).status_code == 400
    assert client.post("/echo/", {"q": f"a{character}b"}).status_code == 400


def test_a_control_character_in_a_key_is_refused_and_shown_visibly(client):
    response = client.post("/echo/", {"na\x01me\x7f": "值"})
    assert_refused(response, "na\u2401me\u2421")


def test_tab_newline_and_carriage_return_pass(client, admin_user):
    response = client.get("/echo/", {"q": "第一行\r\n第二行\t备注"})
    assert response.status_code == 200
    assert "第一行\\r\\n第二行\\t备注" in response.content.decode()

    industry = IndustryFactory(name="食品加工", group=IndustryGroup.TRADITIONAL)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:parkportal_industry_change", args=[industry.pk]),
        {"name": "食品\t加工", "group": IndustryGroup.TRADITIONAL, "sort_order": "0"},
    )
    assert response.status_code == 302
    industry.refresh_from_db()
    assert industry.name == "食品\t加工"


def test_a_password_with_a_tab_is_checked_as_usual(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "a\tb\nc"})
    assert response.status_code == 200  # the log-in form again: a wrong password
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_an_uploaded_file_s_contents_are_not_checked_but_its_field_name_is(client):
    contents = b"PK\x03\x04\x00\x00binary"
    response = client.post("/echo/", {"file": SimpleUploadedFile("园区数据.xlsx", contents)})
    assert response.status_code == 200
    assert repr(contents) in response.content.decode()

    named = client.post("/echo/", {"fi\x00le": SimpleUploadedFile("园区数据.xlsx", b"x")})
    assert_refused(named, "fi\u2400le")
    assert "含有控制字符的上传文件" in named.content.decode()


def test_a_view_that_handles_control_characters_itself_is_let_through(client, leader):
    response = client.post("/echo/own-check/", {"q": "a\x00b"})
    assert response.status_code == 200
    assert "a\\x00b" in response.content.decode()

    # The mark survives decorators that wrap the view.
    client.force_login(leader)
    response = client.get("/echo/signed-in/", {"q": "a\x00b"})
    assert response.status_code == 200
    assert "a\\x00b" in response.content.decode()


def test_the_decorator_marks_the_view_and_returns_it():
    def view(request):
        return HttpResponse()

    assert handles_control_characters(view) is view
    assert view.handles_control_characters is True


pytestmark = [pytestmark, pytest.mark.urls(__name__)]
