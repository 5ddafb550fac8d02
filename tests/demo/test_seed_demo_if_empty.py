"""`seed_demo --if-empty`, the way `make run` loads the demo only once."""

from io import StringIO

from django.core.management import call_command

from parkportal.models import Enterprise


def test_if_empty_loads_the_demo_into_an_empty_database(db):
    out = StringIO()
    call_command(
        "seed_demo", "--if-empty", "--url", "http://192.0.2.2:8080/",
        "--url", "http://127.0.0.1:8080/", stdout=out,
    )  # fmt: skip
    assert Enterprise.objects.count() >= 60
    assert "Demo-admin-2026" in out.getvalue()
    assert "登录地址 http://192.0.2.2:8080/、http://127.0.0.1:8080/" in out.getvalue()


def test_if_empty_leaves_a_database_with_parks_alone_but_lists_demo_log_ins(park_a):
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert not Enterprise.objects.exists()
    assert "未载入示范数据" in out.getvalue()
    assert "Demo-admin-2026" not in out.getvalue()  # no such account here
