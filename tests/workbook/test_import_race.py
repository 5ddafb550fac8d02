"""Register sheets imported at the same moment, on PostgreSQL, with real concurrent users.

Two admins import two workbooks of the 企业 sheet at once: one renames enterprises, the
other moves them to another industry; some enterprises are in both books, new ones among
them, some in one only. And an admin imports the 企业服务 sheet while a park's clerk
records, on the service desk's page, a case the sheet brings too. Each race is run a few
rounds. Afterwards the register must be what the two writes leave one after the other,
in either order: no enterprise twice, none missing, none mixing the values of both books,
its history one row per change with the user and the file; a write may wait for the
other, or be refused with a message saying what to do, but never fail. The data version
moves with every write, so a page kept under it is never stale.
"""

import threading
from collections import defaultdict
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from parkportal.choices import Role
from parkportal.credit_code import with_check_character
from parkportal.data_version import data_version
from parkportal.models import Enterprise, Park
from services.models import ServiceCase
from tests.conftest import make_user
from tests.services.test_bulk_import import cases
from tests.workbook import books
from tests.workbook.books import replaced, xlsx
from tests.workbook_sheets import book_imported, said
from workbook.importer import ImportReport, workbook_import

pytestmark = [
    # The threads' connections see only what is committed, so the test commits; the
    # serialized rollback brings back the migrated catalog the flush removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race needs a database that several connections share: PostgreSQL",
    ),
]

ROUNDS = 3
RETRY = ("重试", "重新导入", "稍后")  # what a refusal of a write met by another one asks


def at_once(*writes: Callable[[], object], meanwhile=None) -> list:
    """Run `writes` at the same moment, each in a thread with its own database connection;
    return what each returned, or the exception it raised. `meanwhile(stop)`, when given,
    runs in a thread of its own until the writes are done; its result is returned last."""
    results: list = [None] * (len(writes) + 1)
    start, stop = threading.Barrier(len(writes)), threading.Event()

    def run(number: int, work, *args) -> None:
        try:
            if number < len(writes):
                start.wait()
            results[number] = work(*args)
        except Exception as error:  # a failed write is the test's finding, said by it
            results[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, w)) for n, w in enumerate(writes)]
    watcher = meanwhile and threading.Thread(target=run, args=(len(writes), meanwhile, stop))
    for thread in [*threads, *filter(None, [watcher])]:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    if watcher:
        watcher.join(timeout=120)
    return results


def failed(outcomes: dict[str, object]) -> dict[str, str]:
    """Return the writes that failed, each with the error that began its failure."""
    found = {}
    for who, outcome in outcomes.items():
        errors = []
        while isinstance(outcome, BaseException) and len(errors) < 5:
            errors.append(repr(outcome))
            outcome = outcome.__cause__ or outcome.__context__
        if errors:
            found[who] = " ← ".join(errors)
    return found


def asks_to_retry(problems: list[str]) -> bool:
    return bool(problems) and all(any(word in p for word in RETRY) for p in problems)


# ------------------------------------------------------------------ two 企业 sheets at once


def code(number: int) -> str:
    return with_check_character(f"91130627MA{number:07d}")


def enterprise(number: int, *, name="", park="CGC", industry="食品加工", since="2020-01-01"):
    name = name or f"河北第{number}号企业有限公司"
    return [code(number), name, park, industry, "是", "规上工业", since, ""]


HEADERS = books.ENTERPRISES[0]
STORED = range(101, 109)  # the register before the imports
SEED = [HEADERS, *map(enterprise, STORED)]
BOTH = (101, 102, 103, 104, 201, 202)  # in both books, with other values in each
# 园区甲 renames enterprises (and registers new ones) …
RENAMED = [
    HEADERS,
    *(enterprise(n, name=f"河北第{n}号企业集团有限公司") for n in (101, 102, 103, 104, 105)),
    *(enterprise(n) for n in (107, 108)),
    *(enterprise(n, name=f"新设第{n}号甲企业有限公司") for n in (201, 202, 211, 212)),
]
# … while 园区乙's book, exported before the renaming, moves them to another industry.
MOVED = [
    HEADERS,
    *(enterprise(n, industry="绿色建材", since="2019-06-01") for n in (101, 102, 103, 104)),
    enterprise(106, industry="绿色建材"),
    *(enterprise(n) for n in (107, 108)),
    *(
        enterprise(n, name=f"新设第{n}号乙企业有限公司", park="白合工业园", industry="绿色建材")
        for n in (201, 202, 221, 222)
    ),
]
BOOKS = {"甲": ("admin_a", RENAMED, "更名.xlsx"), "乙": ("admin_b", MOVED, "产业调整.xlsx")}


def register() -> dict[str, tuple]:
    """The register as the office reads it: each enterprise's values by its credit code."""
    return {
        row[0]: row[1:]
        for row in Enterprise.objects.values_list(
            "credit_code",
            "name",
            "park__code",
            "industry__name",
            "in_statistics",
            "scale_category",
            "established_on",
            "status",
        )
    }


def history_of(model, key: str) -> dict[str, list[tuple]]:
    """Each record's change history, oldest first: kind, user, file and the values kept."""
    values = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    found = defaultdict(list)
    rows = model.history.order_by("history_id").values_list(
        key, "history_type", "history_user__username", "history_change_reason", *values
    )
    for row in rows:
        found[row[0]].append(row[1:])
    return dict(found)


def enterprises_now() -> tuple[dict, dict]:
    return register(), history_of(Enterprise, "credit_code")


def seeded() -> None:
    """Start again from the register as it stood before the imports."""
    Enterprise.objects.all().delete()
    Enterprise.history.all().delete()
    book_imported({"企业": SEED}, filename="年初名录.xlsx")


def enterprise_import(book: str) -> ImportReport:
    username, rows, filename = BOOKS[book]
    user = get_user_model().objects.get(username=username)
    return workbook_import(data=xlsx({"企业": rows}), filename=filename, user=user)


def test_two_admins_importing_overlapping_registers_at_once_end_as_one_after_the_other():
    make_user("admin_a", Role.ADMIN)
    make_user("admin_b", Role.ADMIN)
    book_imported({"园区": books.PARKS, "产业": books.INDUSTRIES}, filename="基础.xlsx")
    # What the two books leave imported one after the other, in each order (and each alone).
    serial = {}
    for order in ("甲乙", "乙甲"):
        seeded()
        for done in (order[0], order):
            report = enterprise_import(done[-1])
            assert report.accepted, said(report)
            serial[done] = enterprises_now()
    in_a_book = {row[0] for rows in (RENAMED, MOVED) for row in rows[1:]}
    both = [code(n) for n in BOTH]
    assert all(serial["甲"][0][c] != serial["乙"][0][c] for c in both)

    for round_ in range(1, ROUNDS + 1):
        seeded()
        version = data_version()
        reports = at_once(lambda: enterprise_import("甲"), lambda: enterprise_import("乙"))
        outcomes = {"甲": reports[0], "乙": reports[1]}

        assert not failed(outcomes), f"第{round_}轮：导入出错 {failed(outcomes)}"
        refused = [book for book, report in outcomes.items() if not report.accepted]
        assert len(refused) < 2, (
            f"第{round_}轮：两次导入都被拒绝 {[said(outcomes[b]) for b in '甲乙']}"
        )
        if refused:
            # Refused while the other wrote: it must ask to import again and have written
            # nothing; imported again, it lands after the other.
            (late,) = refused
            first = "乙" if late == "甲" else "甲"
            assert asks_to_retry(said(outcomes[late])), said(outcomes[late])
            assert enterprises_now() == serial[first], f"第{round_}轮：被拒绝的{late}写入了数据"
            assert enterprise_import(late).accepted
        stored, history = enterprises_now()

        twice = Enterprise.objects.values("credit_code").annotate(n=Count("id")).filter(n__gt=1)
        assert not twice.exists(), f"第{round_}轮：企业重复 {list(twice)}"
        assert in_a_book <= set(stored), f"第{round_}轮：缺少企业 {in_a_book - set(stored)}"
        mixed = [c for c in both if stored[c] not in (serial["甲"][0][c], serial["乙"][0][c])]
        assert not mixed, f"第{round_}轮：企业混合了两本名录的值 {[stored[c] for c in mixed]}"
        orders = [order for order in ("甲乙", "乙甲") if serial[order][0] == stored]
        assert orders, f"第{round_}轮：结果不等于任何先后顺序的导入 {stored}"
        (order,) = orders
        assert history == serial[order][1], f"第{round_}轮：变更记录不同于先{order[0]}后{order[1]}"
        assert data_version() >= version + 2, "each import moved the data version"


# ------------------------------------------ the 企业服务 sheet while a case is recorded


CLASHING = "FW-0010"  # recorded on the page while the sheet brings it too
SHEET = replaced(replaced(cases(12), 1, "承办单位", "县发改局"), 2, "承办单位", "县发改局")


def service_register() -> dict[str, tuple]:
    """The cases as the service desk reads them, by their 服务编号."""
    names = [f.attname for f in ServiceCase._meta.concrete_fields if not f.primary_key]
    return {row[0]: row for row in ServiceCase.objects.values_list(*names)}


def cases_now() -> tuple[dict, dict]:
    return service_register(), history_of(ServiceCase, "code")


def cases_seeded() -> None:
    ServiceCase.objects.all().delete()
    ServiceCase.history.all().delete()
    book_imported({"企业服务": cases(8)}, filename="服务台账.xlsx")


def builds(stop: threading.Event) -> dict[int, set[tuple]]:
    """What pages kept by the data version are built from: a request reads the version,
    then the cases; a build the version did not move under is kept under it, and every
    later request is served it. Returns each version's builds, which must be one."""
    built: dict[int, set[tuple]] = defaultdict(set)
    while not stop.is_set():
        version = data_version()
        cases = tuple(sorted(service_register().items()))
        if data_version() == version:
            built[version].add(cases)
    return built


def test_a_clerk_recording_a_case_while_the_service_sheet_brings_it_ends_as_one_then_the_other(
    settings,
):
    settings.SERVICE_TIME_LIMITS = {"approval": 10, "utilities": 3, "other": 7}
    admin = make_user("admin", Role.ADMIN)
    base = {"园区": books.PARKS, "产业": books.INDUSTRIES, "企业": books.ENTERPRISES}
    book_imported({**base, "项目": books.PROJECTS}, filename="基础.xlsx")
    clerk = make_user("clerk", Role.STAFF, Park.objects.get(code="CGC"))
    recorded = {
        "code": CLASHING,
        "kind": "request",
        "enterprise": Enterprise.objects.get(credit_code=books.CODE_A).pk,
        "received_on": "2026-03-02",
        "channel": "call_visit",
        "category": "utilities",
        "subject": "来电反映用电增容",
        "unit": "县供电公司",
        "days_allowed": "3",
    }

    def record(client: Client):
        return client.post(reverse("services:new"), recorded)

    def page_refused(response) -> bool:
        return response.status_code == 200 and "已存在" in response.content.decode()

    def sheet_import() -> ImportReport:
        return workbook_import(data=xlsx({"企业服务": SHEET}), filename="三月服务.xlsx", user=admin)

    page = Client(raise_request_exception=False)
    page.force_login(clerk)
    # One after the other: recorded, then the sheet changes it to its row; or the sheet
    # first, and the page refuses the code as taken.
    serial = {}
    cases_seeded()
    assert record(page).status_code == 302
    serial["页"] = cases_now()
    assert sheet_import().accepted
    serial["页表"] = cases_now()
    cases_seeded()
    assert sheet_import().accepted
    serial["表"] = cases_now()
    assert page_refused(record(page))
    assert cases_now() == serial["表"]

    for round_ in range(1, ROUNDS + 1):
        cases_seeded()
        version = data_version()
        response, report, built = at_once(lambda: record(page), sheet_import, meanwhile=builds)
        outcomes = {"页面": response, "导入": report}

        assert not failed(outcomes), f"第{round_}轮：出错 {failed(outcomes)}"
        error = response.exc_info and failed({"页面": response.exc_info[1]})
        assert response.status_code in (200, 302), (
            f"第{round_}轮：页面返回{response.status_code} {error or ''}"
        )
        if response.status_code == 200:
            assert page_refused(response), f"第{round_}轮：页面拒绝了登记却没说编号已存在"
        saved = response.status_code == 302
        if not report.accepted:
            assert saved, f"第{round_}轮：两者都被拒绝 {said(report)}"
            assert asks_to_retry(said(report)), said(report)
            assert cases_now() == serial["页"], f"第{round_}轮：被拒绝的导入写入了数据"
            assert sheet_import().accepted
        stored, history = cases_now()

        expected = serial["页表" if saved else "表"]
        assert stored == expected[0], f"第{round_}轮：结果不等于先后各写一次"
        assert history == expected[1], f"第{round_}轮：变更记录不同于先后各写一次"
        now = data_version()
        assert now >= version + 1 + saved, "each write moved the data version"
        # A page kept under a version shows what was committed with it, whichever build
        # kept it: the version moved with each write.
        stale = {v: len(b) for v, b in built.items() if len(b) > 1}
        assert not stale, f"第{round_}轮：同一数据版本下的页面内容不同（缓存会过期）{stale}"
        assert built[now] <= {tuple(sorted(stored.items()))}, f"第{round_}轮：缓存的页面过期"
