"""On SQLite, a workbook import of 10,000 rows running while a park's staff save their
entry page: the save waits for the import's write and then succeeds, never a 500.

SQLite has one writer at a time. The test needs a database file that two connections
share (the test database is in memory), so it runs in a process of its own on a file
under tmp_path: one thread imports, the other signs in as the park's staff and saves the
entry page while the import holds the write lock.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import io, json, sys, threading, time
sys.path.insert(0, ".")
import django
django.setup()
from decimal import Decimal
import re
from django.core.management import call_command
from django.test import Client
from indicators.resources import MonthlyValueResource
from parkportal.choices import ParkKind, Role
from parkportal.credit_code import with_check_character
from parkportal.models import Enterprise, Park
from parkportal.services import user_save
from workbook.importer import workbook_import

call_command("migrate", verbosity=0)
zone = Park.objects.create(code="KFQ", name="开发区", kind=ParkKind.ZONE)
big = Park.objects.create(code="BIG", name="导入园区", kind=ParkKind.PARK, parent=zone)
small = Park.objects.create(code="SML", name="填报园区", kind=ParkKind.PARK, parent=zone)
Enterprise.objects.bulk_create(
    Enterprise(credit_code=with_check_character(f"91130627MA{i:07d}"),
               name=f"导入企业{i:05d}有限公司", park=big, in_statistics=True)
    for i in range(834)
)
Enterprise.objects.create(credit_code=with_check_character("91130627MB0000001"),
                          name="填报企业有限公司", park=small, in_statistics=True)
staff = user_save(username="staff", role=Role.STAFF, park_codes=["SML"], password=None)

import xlsxwriter
buffer = io.BytesIO()
book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
sheet = book.add_worksheet("月度指标")
sheet.write_row(0, 0, MonthlyValueResource.headers())
row = 1
registered = Enterprise.objects.filter(park=big).order_by("credit_code")
for code, name in registered.values_list("credit_code", "name"):
    base = 100 + row % 997
    for month in range(1, 13):
        sheet.write_row(row, 0, [code, name, 2026, month, base * month, base * month * 1.5,
                                 base * month / 20, base * month / 4, base * month / 10, 50])
        row += 1
book.close()
rows = row - 1

writing = threading.Event()
def progress(stage, fraction):
    if stage.startswith("检查并写入") and not writing.is_set():
        writing.set()
        time.sleep(3)  # the import holds the write lock a while: the save must wait it out

outcome = {"rows": rows}
def run_import():
    report = workbook_import(data=buffer.getvalue(), filename="大表.xlsx", progress=progress)
    outcome["import_accepted"] = report.accepted
    outcome["import_problems"] = [str(p) for p in report.problems[:3]]

client = Client()
client.force_login(staff)
url = "/entry/SML/2026/3/"
page = client.get(url).content.decode()
fields = dict(re.findall(r'name="((?:o|on|n)-\d+-\d+)" value="([^"]*)"', page))
for name, value in re.findall(r'name="(v-\d+-\d+)" value="([^"]*)"', page):
    fields[name] = "1234"
fields["action"] = "save"

importer = threading.Thread(target=run_import)
importer.start()
assert writing.wait(60), "the import never started writing"
start = time.perf_counter()
response = client.post(url, fields)
outcome["save_status"] = response.status_code
outcome["save_seconds"] = round(time.perf_counter() - start, 2)
importer.join()
from indicators.models import MonthlyValue
outcome["saved"] = MonthlyValue.objects.filter(enterprise__park=small, year=2026, month=3).count()
outcome["imported"] = MonthlyValue.objects.filter(enterprise__park=big).count()
print(json.dumps(outcome))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")
def test_a_save_during_an_import_of_10000_rows_succeeds(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "parkportal.settings",
        "DJANGO_DEBUG": "1",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["rows"] >= 10_000
    assert outcome["import_accepted"], outcome["import_problems"]
    assert outcome["save_status"] == 302, outcome  # saved, back to the page
    assert outcome["saved"] == 6  # the staff's six figures
    assert outcome["imported"] == outcome["rows"] * 6


CHECK_SCRIPT = r"""
import json, re, sys, threading, time
sys.path.insert(0, ".")
import django
django.setup()
from django.conf import settings
# A save that found the write lock taken would fail at once (503), not after 20 s.
settings.DATABASES["default"]["OPTIONS"]["timeout"] = 1
from django.core.management import call_command
from django.test import Client
from parkportal.choices import ParkKind, Role
from parkportal.credit_code import with_check_character
from parkportal.models import Enterprise, Park
from parkportal.services import user_save
from tests.workbook import books
import workbook.services as services

call_command("migrate", verbosity=0)
zone = Park.objects.create(code="KFQ", name="开发区", kind=ParkKind.ZONE)
Park.objects.create(code="CGC", name="长古城工业园", kind=ParkKind.PARK, parent=zone)
small = Park.objects.create(code="SML", name="填报园区", kind=ParkKind.PARK, parent=zone)
Enterprise.objects.create(credit_code=with_check_character("91130627MB0000001"),
                          name="填报企业有限公司", park=small, in_statistics=True)
staff = user_save(username="staff", role=Role.STAFF, park_codes=["SML"], password=None)
admin = user_save(username="office", role=Role.ADMIN, password=None)
register = [books.ENTERPRISES[0]] + [
    [with_check_character(f"91130627MC{i:07d}"), f"登记企业{i:05d}有限公司", "CGC", "食品加工",
     "是", "", "2015-03-01", ""]
    for i in range(200)
]
data = books.xlsx({"产业": books.INDUSTRIES, "企业": register})

writing = threading.Event()
checking = services.workbook_import
def slow_check(**arguments):
    inner = arguments["progress"]
    def progress(stage, fraction):
        inner(stage, fraction)
        if stage.startswith("检查并写入") and not writing.is_set():
            writing.set()
            time.sleep(3)  # the check writes a while: longer than the save may wait
    return checking(**{**arguments, "progress": progress})
services.workbook_import = slow_check

settings.IMPORT_IN_BACKGROUND = True  # queued: the test runs the worker's part itself
batch = services.import_batch_upload(data=data, filename="登记.xlsx", user=admin)
outcome = {}
def run_check():
    outcome["status"] = services.import_batch_run(pk=batch.pk).status

client = Client()
client.force_login(staff)
url = "/entry/SML/2026/3/"
page = client.get(url).content.decode()
fields = dict(re.findall(r'name="((?:o|on|n)-\d+-\d+)" value="([^"]*)"', page))
for name, value in re.findall(r'name="(v-\d+-\d+)" value="([^"]*)"', page):
    fields[name] = "1234"
fields["action"] = "save"

checker = threading.Thread(target=run_check)
checker.start()
assert writing.wait(120), "the check never started writing"
outcome["save_status"] = client.post(url, fields).status_code
checker.join()
from indicators.models import MonthlyValue
outcome["saved"] = MonthlyValue.objects.filter(enterprise__park=small).count()
outcome["registered"] = Enterprise.objects.count()
print(json.dumps(outcome))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")
def test_a_save_during_a_check_does_not_wait_for_it(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "parkportal.settings",
        "DJANGO_DEBUG": "1",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHECK_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["status"] == "previewed", outcome  # the check passed, nothing kept
    assert outcome["registered"] == 1  # the checked register is not written
    assert outcome["save_status"] == 302, outcome  # saved while the check ran
    assert outcome["saved"] == 6
