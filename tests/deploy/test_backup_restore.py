"""The README's backup really restores: deploy/backup.sh dumps the database (pg_dump -Fc),
deploy/restore.sh brings it back into a new database, and the figures, users and uploaded
workbooks are all there."""

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection

from indicators.models import MonthlyValue
from parkportal.choices import Role
from parkportal.models import Enterprise, Park
from tests.conftest import make_user
from tests.deploy.test_make_run import clean_env
from tests.factories import EnterpriseFactory, MonthlyValueFactory
from workbook.models import ImportBatch

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    # pg_dump reads what is committed, so the test commits; the serialized rollback brings
    # back the migrated catalog that the flush after it removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump and pg_restore back up PostgreSQL (SQLite's backup is a copy of its file)",
    ),
]

TABLES = [MonthlyValue, Enterprise, Park, ImportBatch]


@pytest.fixture
def postgres_tools():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing: apt-get install postgresql-client")
    if missing:
        pytest.skip(f"{', '.join(missing)} missing (apt-get install postgresql-client)")


def database_url(name: str) -> str:
    params = connection.settings_dict
    user = quote(params["USER"] or "", safe="")
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgresql://{user}{password}@{params['HOST'] or ''}{port}/{name}"


@pytest.fixture
def fresh_database():
    """Create an empty database beside the test database; drop it afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    server = psycopg2.connect(database_url("postgres"))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def run(script: str, *args: str, **env) -> str:
    result = subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        env=clean_env(PYTHON=sys.executable, **env), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def rows(cursor, table: str) -> list[tuple]:
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in cursor]


def test_a_backup_restores_into_a_new_database_with_its_figures_users_and_uploads(
    postgres_tools, fresh_database, park_a, tmp_path
):
    enterprise = EnterpriseFactory(park=park_a, name="示范铜雕有限公司")
    for month, value in [(1, "120.5000"), (2, "250.2500"), (3, "399.0001")]:
        MonthlyValueFactory(enterprise=enterprise, month=month, value=Decimal(value))
    admin = make_user("zhao", Role.ADMIN)
    ImportBatch.objects.create(
        filename="园区数据.xlsx", sha256="0" * 64, content=b"PK\x03\x04 workbook",
        uploaded_by=admin, status=ImportBatch.Status.IMPORTED,
    )  # fmt: skip

    backup = run(
        "backup.sh", str(tmp_path / "backups"),
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
    )  # fmt: skip
    assert sorted(os.listdir(backup)) == ["database.dump"]
    run("restore.sh", backup, DATABASE_URL=database_url(fresh_database))

    # both read through psycopg2 alone, which decodes every column the same way
    source = psycopg2.connect(database_url(connection.settings_dict["NAME"]))
    restored = psycopg2.connect(database_url(fresh_database))
    try:
        with source.cursor() as original, restored.cursor() as copy:
            for model in TABLES:
                table = model._meta.db_table
                assert rows(copy, table) == rows(original, table), table
            assert rows(copy, "auth_user") == rows(original, "auth_user")
            copy.execute("SELECT sum(value) FROM indicators_monthlyvalue")
            assert copy.fetchone()[0] == Decimal("769.7501")
            # new rows get new ids: the sequences came along
            copy.execute("SELECT nextval(pg_get_serial_sequence('auth_user', 'id'))")
            assert copy.fetchone()[0] > admin.pk
            copy.execute("SELECT count(*) FROM django_migrations")
            original.execute("SELECT count(*) FROM django_migrations")
            assert copy.fetchone() == original.fetchone()
    finally:
        source.close()
        restored.close()


def test_restore_refuses_a_database_that_has_tables(postgres_tools, db, tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"")
    (backup / "imports.tar.gz").write_bytes(b"")
    result = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), str(backup)],
        env=clean_env(
            PYTHON=sys.executable, DATABASE_URL=database_url(connection.settings_dict["NAME"])
        ),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "未恢复。请恢复到新建的空数据库" in result.stderr
