"""Writes to the register that span several rows."""

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import connection, transaction
from django.db.models import CheckConstraint, F, Model, Q, UniqueConstraint
from django.db.models.expressions import BaseExpression, Combinable
from django.utils import timezone

from .bulk import staging_table, upsert_from
from .choices import Role
from .data_version import data_version_bump
from .models import Enterprise, Park, ParkMembership
from .register_lock import register_door, registers_import
from .roles import sync_role_groups


@transaction.atomic
def user_save(*, username: str, role: Role, park_codes: Iterable[str] = (), password: str | None):
    """Create or update the user `username` with exactly the given role and parks.

    Park staff must be bound to at least one park, never to the zone; investment staff
    to the zone or to parks; leaders and admins to none.
    A password of None leaves an existing user's password as it is.
    """
    role = Role(role)
    codes = list(dict.fromkeys(park_codes))
    parks = list(Park.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {park.code for park in parks})
    if unknown:
        raise ValidationError(f"园区编码不存在：{'、'.join(unknown)}")
    if role == Role.STAFF and not parks:
        raise ValidationError("园区填报员至少要绑定一个园区（--park 园区编码）。")
    if role == Role.INVESTMENT and not parks:
        raise ValidationError("招商专员要绑定开发区或具体园区（--park 编码）。")
    for park in parks if role == Role.STAFF else ():
        try:
            ParkMembership(park=park).clean()  # refuses the zone
        except ValidationError as error:
            raise ValidationError(
                f"{park.code}（{park.name}）：{''.join(error.messages)}"
            ) from error
    if role not in (Role.STAFF, Role.INVESTMENT) and parks:
        raise ValidationError(f"{role.label}可查看全部园区，不需要绑定园区。")

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = role == Role.ADMIN
    user.is_superuser = False
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()

    groups = sync_role_groups()
    user.groups.set([groups[role]])
    ParkMembership.objects.filter(user=user).exclude(park__in=parks).delete()
    for park in parks:
        ParkMembership.objects.get_or_create(user=user, park=park)
    return user


# ---------------------------------------------------------------- the enterprise register

# What an enterprise's figures count for: changing one of these changes the figures of
# every month it reported (whose park they add to, whether they are counted at all).
COUNTING_FIELDS = ("park_id", "status", "in_statistics")


def enterprise_refusal(enterprise: Enterprise, *, lock: bool = False) -> str | None:
    """Return why saving `enterprise` as it is now would be refused, or None.

    A change of park, status or 入统 changes the figures of every month in which the
    enterprise reported, in its old park and its new one: refused while one of those
    months is approved (locked). `lock` locks the months' workflow records for the
    rest of the transaction, so no month is approved meanwhile.
    """
    if enterprise.pk is None:
        return None
    before = Enterprise.objects.filter(pk=enterprise.pk).values(*COUNTING_FIELDS).first()
    if before is None or all(before[f] == getattr(enterprise, f) for f in COUNTING_FIELDS):
        return None
    # The register's door asks the figures' lock: the months belong to indicators.
    from indicators.choices import PeriodStatus
    from indicators.figures import months_text
    from indicators.models import MonthlyValue, PeriodSubmission

    months = set(
        MonthlyValue.objects.filter(enterprise_id=enterprise.pk)
        .values_list("year", "month")
        .distinct()
    )
    if not months:
        return None
    records = PeriodSubmission.objects.filter(
        park_id__in={before["park_id"], enterprise.park_id},
        year__in={y for y, _ in months},
    ).order_by("park_id", "year", "month")
    if lock:
        records = records.select_for_update(of=("self",))
    locked = [
        (park_id, year, month)
        for park_id, year, month, status in records.values_list(
            "park_id", "year", "month", "status"
        )
        if status == PeriodStatus.APPROVED and (year, month) in months
    ]
    if not locked:
        return None
    names = dict(Park.objects.filter(pk__in={p for p, _, _ in locked}).values_list("pk", "name"))
    return (
        f"企业“{enterprise.name}”在{months_text(locked, names)}有数据，这些月份已审核锁定，"
        "不能修改它的所属园区、状态或是否入统；如需修改，请管理员先在月度填报中解锁这些月份。"
    )


@register_door
def enterprise_save(*, enterprise: Enterprise, user=None, reason: str = "") -> Enterprise:
    """Create or change an enterprise of the register, with its change history.

    Refused (ValidationError, in Chinese) while a change of park, status or 入统
    would change an approved month's figures (`enterprise_refusal`). Otherwise
    saved; its history records the user and `reason`, and the months whose figures
    it moves are marked changed for the entry pages open on them.
    """
    enterprise.full_clean()
    refusal = enterprise_refusal(enterprise, lock=True)
    if refusal:
        raise ValidationError(refusal)
    before = (
        Enterprise.objects.filter(pk=enterprise.pk).values(*COUNTING_FIELDS, "industry_id").first()
        if enterprise.pk
        else None
    )
    if user is not None and user.is_authenticated:
        enterprise._history_user = user
    if reason:
        enterprise._change_reason = reason
    enterprise.save()
    if before and any(before[f] != getattr(enterprise, f) for f in COUNTING_FIELDS):
        from indicators.figures import mark_periods_changed
        from indicators.models import MonthlyValue

        months = set(
            MonthlyValue.objects.filter(enterprise=enterprise).values_list("year", "month")
        )
        parks = {before["park_id"], enterprise.park_id}
        mark_periods_changed({(p, y, m) for p in parks for y, m in months})
    data_version_bump()
    # The reports' sums follow the enterprise's figures to its new park or industry.
    from indicators.sums import official_sums_enterprise_moved

    official_sums_enterprise_moved(enterprise.pk, before, enterprise)
    return enterprise


def enterprise_has_figures(enterprise: Enterprise) -> bool:
    """Return whether the enterprise has, or ever had, a monthly figure."""
    from indicators.models import FigureChange, MonthlyValue

    return (
        MonthlyValue.objects.filter(enterprise=enterprise).exists()
        or FigureChange.objects.filter(enterprise=enterprise).exists()
    )


@register_door
def enterprise_delete(*, enterprise: Enterprise, user=None) -> None:
    """Delete an enterprise that never had figures; one that had is deregistered (注销)
    instead, so its figures and their history stay with the months they belong to."""
    if enterprise_has_figures(enterprise):
        raise ValidationError(
            f"企业“{enterprise.name}”已有月度数据，不能删除；"
            "如已停业或迁出，请把它的状态改为“注销”。"
        )
    if user is not None and user.is_authenticated:
        enterprise._history_user = user
    enterprise.delete()
    data_version_bump()


# ------------------------------------------------------------ the register, many rows at once


@dataclass
class RegisterImported:
    """What a bulk write of the register did, or, with `errors`, why it wrote nothing:
    per position of the given enterprises, each field's messages (NON_FIELD_ERRORS for
    the whole row)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: dict[int, dict[str, list[str]]] = dataclass_field(default_factory=dict)


@registers_import
def enterprises_import(
    *,
    enterprises: Sequence[Enterprise],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many enterprises of the register at once (the workbook's 企业
    sheet), by the rules of `enterprise_save`, in a few statements.

    `enterprises` are new instances, or stored ones with the new values set; `errors`
    what the caller found already, per position and field (those fields are not checked
    again). Each enterprise is checked as a model would be (its fields, its model's check
    constraints), and a change of park, status or 入统 over approved months is refused with
    `enterprise_refusal`'s message, at the park. With any error nothing is written.
    Otherwise the new and changed ones are written with their change history (the user
    and `reason`) in bulk, the months whose figures a move shifts are marked changed,
    and the data version is bumped; enterprises equal to the stored ones write nothing.
    """
    result = RegisterImported(
        errors={k: {f: list(m) for f, m in v.items()} for k, v in (errors or {}).items()}
    )
    fields = [f for f in Enterprise._meta.concrete_fields if not f.primary_key]
    stored_ids = [e.pk for e in enterprises if e.pk is not None]
    before: dict[int, tuple] = {}
    names = [f.attname for f in fields]
    for start in range(0, len(stored_ids), 900):
        for row in Enterprise.objects.filter(pk__in=stored_ids[start : start + 900]).values_list(
            "pk", *names
        ):
            before[row[0]] = row[1:]
    counting = [names.index(f) for f in COUNTING_FIELDS]
    moved = []
    for position, enterprise in enumerate(enterprises):
        old = before.get(enterprise.pk)
        if old is not None and any(old[i] != getattr(enterprise, names[i]) for i in counting):
            moved.append(enterprise)
            refusal = enterprise_refusal(enterprise, lock=True)
            if refusal:
                result.errors.setdefault(position, {}).setdefault("park", []).append(refusal)
    _model_errors(enterprises, result.errors)

    created, changed, changed_fields = [], [], set()
    for position, enterprise in enumerate(enterprises):
        if position in result.errors:
            continue
        old = before.get(enterprise.pk)
        if old is None:
            created.append(enterprise)
            continue
        differing = {
            names[i] for i, value in enumerate(old) if value != getattr(enterprise, names[i])
        }
        if differing:
            changed.append(enterprise)
            changed_fields |= differing
    result.created, result.updated = len(created), len(changed)
    result.unchanged = len(enterprises) - len(created) - len(changed) - len(result.errors)
    if result.errors:
        return result
    user = user if user is not None and user.is_authenticated else None
    history = {"user": user, "reason": reason or None, "now": timezone.now()}
    if created:
        # Staged and inserted in one statement, their history rows in a second one.
        columns = [f.column for f in fields]
        staged = (
            [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] for e in created
        )
        with staging_table(Enterprise._meta.db_table, columns, staged) as staging:
            quote = connection.ops.quote_name
            column_list = ", ".join(map(quote, columns))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(Enterprise._meta.db_table)} ({column_list}) "
                    f"SELECT {column_list} FROM {staging}"
                )
            _history_rows(f"credit_code IN (SELECT credit_code FROM {staging})", [], "+", **history)
    if changed:
        Enterprise.objects.bulk_update(
            changed, [f.name for f in fields if f.attname in changed_fields], batch_size=500
        )
        ids = [e.pk for e in changed]
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            where = f"id IN ({', '.join(['%s'] * len(chunk))})"
            _history_rows(where, chunk, "~", **history)
    changed_ids = {e.pk for e in changed}
    moved = [e for e in moved if e.pk in changed_ids]
    if created or changed:
        data_version_bump()
    if moved:
        from indicators.figures import mark_periods_changed
        from indicators.models import MonthlyValue

        parks = {e.pk: {before[e.pk][counting[0]], e.park_id} for e in moved}
        months = MonthlyValue.objects.filter(enterprise_id__in=list(parks)).values_list(
            "enterprise_id", "year", "month"
        )
        mark_periods_changed({(p, y, m) for e, y, m in months.distinct() for p in parks[e]})
    # The reports' sums follow the enterprises' figures to their new park or industry.
    from indicators.sums import official_sums_enterprise_moved

    summed = [names.index(f) for f in ("park_id", "industry_id", "in_statistics")]
    for enterprise in changed:
        old = before[enterprise.pk]
        if any(old[i] != getattr(enterprise, names[i]) for i in summed):
            official_sums_enterprise_moved(
                enterprise.pk, {names[i]: old[i] for i in summed}, enterprise
            )
    return result


def _history_rows(where: str, params: list, kind: str, *, user, reason, now, model=Enterprise):
    """Write the change history (django-simple-history's table) of the rows of `model`
    `where` selects, as they stand now, in one INSERT … SELECT: kind "+" created,
    "~" changed, with the user, the reason and the time."""
    history = model.history.model
    quote = connection.ops.quote_name
    own = [f.column for f in model._meta.concrete_fields]
    columns = [*own, "history_change_reason", "history_date", "history_type", "history_user_id"]
    assert {f.column for f in history._meta.concrete_fields} == {*columns, "history_id"}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"SELECT {', '.join(map(quote, own))}, %s, %s, %s, %s "
            f"FROM {quote(model._meta.db_table)} WHERE {where}",
            [reason, now, kind, user.pk if user else None, *params],
        )


def register_result(errors: Mapping[int, Mapping[str, list[str]]] | None) -> RegisterImported:
    """Return a bulk write's result holding what its caller found already (`errors`)."""
    return RegisterImported(
        errors={k: {f: list(m) for f, m in v.items()} for k, v in (errors or {}).items()}
    )


def stored_values(model, records: Sequence[Model], names: Sequence[str]) -> dict[int, tuple]:
    """Return the stored values (`names`, attnames) of the stored ones of `records`, by pk."""
    ids = [r.pk for r in records if r.pk is not None]
    before: dict[int, tuple] = {}
    for start in range(0, len(ids), 900):
        rows = model._default_manager.filter(pk__in=ids[start : start + 900])
        for row in rows.values_list("pk", *names):
            before[row[0]] = row[1:]
    return before


def records_compare(
    model: type[Model],
    records: Sequence[Model],
    result: RegisterImported,
    *,
    clean: Callable[[Model], None] | None = None,
) -> tuple[list[Model], list[Model], set[str], dict[int, tuple]]:
    """Check and sort `records` (new instances, or stored ones with the new values set)
    into the new and the changed ones, and count them in `result`; return them, the
    columns that changed and the stored values of the stored ones (by pk, in the order
    of the model's concrete fields but its pk).

    As the row path checks only the rows it writes, the new and changed records alone
    are checked as `full_clean` would (`_model_errors`: their fields, `clean`, check
    constraints), their messages added to `result.errors` by position; records the
    caller found errors in already are neither checked nor counted. `clean`, when
    given, stands for the model's own `clean` (its rules, with what the sheet looked
    up once for all its records).
    """
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    before = stored_values(model, records, names)

    def differing(record) -> set[str]:
        old = before[record.pk]
        return {names[i] for i, value in enumerate(old) if value != getattr(record, names[i])}

    positions = [
        position
        for position, record in enumerate(records)
        if position not in result.errors and (record.pk not in before or differing(record))
    ]
    found: dict[int, dict[str, list[str]]] = {}
    _model_errors([records[p] for p in positions], found, clean=clean)
    created, changed, changed_fields = [], [], set()
    for i, position in enumerate(positions):
        record = records[position]
        if found.get(i):
            result.errors[position] = found[i]
        elif record.pk not in before:
            created.append(record)
        elif fields := differing(record):  # a value cleaned back to the stored one is not
            changed.append(record)
            changed_fields |= fields
    result.created, result.updated = len(created), len(changed)
    result.unchanged = len(records) - len(created) - len(changed) - len(result.errors)
    return created, changed, changed_fields, before


def records_insert(records: Sequence[Model]) -> None:
    """Insert new `records` of one model in a constant number of statements (staged,
    then INSERT … SELECT), whatever their count; their pks are not read back."""
    if not records:
        return
    model = type(records[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    rows = (
        [f.get_db_prep_save(f.pre_save(record, True), connection) for f in fields]
        for record in records
    )
    quote = connection.ops.quote_name
    column_list = ", ".join(map(quote, columns))
    with (
        staging_table(model._meta.db_table, columns, rows) as staging,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({column_list}) "
            f"SELECT {column_list} FROM {staging}"
        )


def records_write(
    *,
    key: Sequence[str],
    created: Sequence[Model],
    changed: Sequence[Model],
    changed_fields: set[str],
    user,
    reason: str,
) -> None:
    """Write the new and the changed records of one model, keyed by its natural key
    `key` (field names), and their change history rows (django-simple-history's table:
    "+" created, "~" changed, with the user, `reason` and the time), in a constant
    number of statements whatever their count. The new records get their pks."""
    records = [*created, *changed]
    if not records:
        return
    model = type(records[0])
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    keys = [meta.get_field(name).column for name in key]
    joined = " AND ".join(f"s.{quote(c)} = t.{quote(c)}" for c in keys)
    history = model.history.model
    own = [f.column for f in meta.concrete_fields]
    history_columns = [
        *own,
        "history_change_reason",
        "history_date",
        "history_type",
        "history_user_id",
    ]
    assert {f.column for f in history._meta.concrete_fields} == {*history_columns, "history_id"}
    user = user if user is not None and user.is_authenticated else None
    audit = [reason or None, timezone.now(), None, user.pk if user else None]
    for kind, group in (("+", created), ("~", changed)):
        if not group:
            continue
        audit[2] = kind
        rows = (
            [f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields] for r in group
        )
        with staging_table(meta.db_table, columns, rows) as staging, connection.cursor() as cursor:
            if kind == "+":
                column_list = ", ".join(map(quote, columns))
                cursor.execute(
                    f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {staging}"
                )
            else:
                update = [f.column for f in fields if f.attname in changed_fields]
                upsert_from(staging, meta.db_table, columns, conflict=keys, update=update)
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({', '.join(map(quote, history_columns))}) "
                f"SELECT {', '.join(f't.{quote(c)}' for c in own)}, %s, %s, %s, %s "
                f"FROM {table} t WHERE EXISTS (SELECT 1 FROM {staging} s WHERE {joined})",
                audit,
            )
            if kind == "+":
                cursor.execute(
                    f"SELECT {', '.join(f't.{quote(c)}' for c in keys)}, t.{quote(meta.pk.column)} "
                    f"FROM {table} t WHERE EXISTS (SELECT 1 FROM {staging} s WHERE {joined})"
                )
                # Compared as Python values: a database may read a key back in another
                # form than it was written in (SQLite a date as text).
                key_fields = [meta.get_field(name) for name in key]
                pks = {
                    tuple(map(lambda f, v: f.to_python(v), key_fields, row[:-1])): row[-1]
                    for row in cursor.fetchall()
                }
                for record in group:
                    found = tuple(f.to_python(getattr(record, f.attname)) for f in key_fields)
                    record.pk = pks.get(found)


def register_import(
    model,
    records,
    errors,
    *,
    key,
    user,
    reason,
    clean=None,
    refusal=None,
    before_write=None,
) -> RegisterImported:
    """The bulk door of a register sheet (projects, leads, services, plans …): check
    `records` of `model` as `full_clean` would (`records_compare`; `clean(record)` in
    place of the model's own `clean` when given), then by their door's own rule when
    given; then (after `before_write(created, changed)`, when given) write the new and
    changed ones, keyed by `key`, with their change history and bump the data version;
    with any error, nothing. Call it inside the door's transaction.

    `refusal(record, found)` is the door's rule: asked of each record the row path
    would check (the new and changed ones, and those `full_clean` refused, not those
    the caller found errors in), with what `full_clean` said of it by field ({} when
    nothing), it returns why the record is refused, by field, or None. As on the row
    path, its messages stand for their fields and `full_clean`'s for the rest."""
    result = register_result(errors)
    given = set(result.errors)
    created, changed, changed_fields, _ = records_compare(model, records, result, clean=clean)
    if refusal is not None:
        created, changed = _refused(records, given, created, changed, refusal, result)
    if result.errors:
        return result
    if before_write is not None:
        before_write(created, changed)
    records_write(
        key=key,
        created=created,
        changed=changed,
        changed_fields=changed_fields,
        user=user,
        reason=reason,
    )
    if created or changed:
        data_version_bump()
    return result


def _refused(records, given, created, changed, refusal, result: RegisterImported):
    """Ask `refusal` of each new and changed record and of each `full_clean` refused
    (by position in `records`; not those in `given`, the caller's), put what it says
    in `result.errors` before `full_clean`'s messages of other fields, uncount the
    refused new and changed ones, and return the new and changed ones left."""
    written = {id(record) for record in [*created, *changed]}
    for position, record in enumerate(records):
        if id(record) not in written and (position in given or position not in result.errors):
            continue
        found = result.errors.get(position, {})
        said = refusal(record, found)
        if not said:
            continue
        row = {name: list(messages) for name, messages in said.items()}
        for name, messages in found.items():
            row.setdefault(name, messages)
        result.errors[position] = row
    refused = {id(records[position]) for position in result.errors}
    kept = [[r for r in group if id(r) not in refused] for group in (created, changed)]
    result.created -= len(created) - len(kept[0])
    result.updated -= len(changed) - len(kept[1])
    return kept[0], kept[1]


@registers_import
def records_import(
    *,
    records: Sequence[Model],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
    model_errors: Callable[[Sequence[Model], dict], None] | None = None,
) -> RegisterImported:
    """Create or change many records of a small register at once (the workbook's 园区,
    产业 and 目标 sheets), checked and written as a save of each would be, in a few
    statements; rows equal to the stored ones write nothing.

    `records` are new instances, or stored ones with the new values set; `errors` what
    the caller found already, per position and field. Each record is checked as
    `full_clean` would (`_model_errors`, then `model_errors` when given), and the
    model's unique constraints over the register as it will stand. A record may point
    to another new record of `records` (a park to its new zone): records are written
    parents first, each checked once the record it points to has its id, and one that
    points to itself through others is refused. With any error nothing is written.
    The new and changed records are written with their change history (the user and
    `reason`) and the data version is bumped.
    """
    result = register_result(errors)
    if not records:
        return result
    model = type(records[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    relations = [f for f in fields if f.is_relation]
    before = stored_values(model, records, names)
    _unique_errors(records, result.errors)
    _cycle_errors(records, relations, result.errors)
    user = user if user is not None and user.is_authenticated else None
    history = {"user": user, "reason": reason or None, "now": timezone.now(), "model": model}
    waiting = dict(enumerate(records))
    with transaction.atomic():  # rolled back when any record is refused
        while waiting:
            # The records whose every relation is stored: written now, the rest after.
            ready = {
                position: record
                for position, record in waiting.items()
                if all(_related_pk(f, record) is not False for f in relations)
            }
            if not ready:
                break
            for position in ready:
                del waiting[position]
            for record in ready.values():
                for f in relations:
                    related = _related_pk(f, record)
                    if related is not None:
                        setattr(record, f.attname, related)
            found: dict[int, dict[str, list[str]]] = {
                i: result.errors[position]
                for i, position in enumerate(ready)
                if position in result.errors
            }
            level = list(ready.values())
            _model_errors(level, found)
            if model_errors is not None:
                model_errors(level, found)
            for i, position in enumerate(ready):
                if found.get(i):
                    result.errors[position] = found[i]
            checked = [(p, r) for p, r in ready.items() if p not in result.errors]
            created = [r for _, r in checked if r.pk is None]
            changed = [
                r
                for _, r in checked
                if r.pk is not None and before[r.pk] != tuple(getattr(r, n) for n in names)
            ]
            result.created += len(created)
            result.updated += len(changed)
            result.unchanged += len(checked) - len(created) - len(changed)
            if result.errors:
                continue  # nothing more is written; the records ready are still checked
            model.objects.bulk_create(created, batch_size=500)
            if changed:
                model.objects.bulk_update(changed, [f.name for f in fields], batch_size=500)
            for kind, written in (("+", created), ("~", changed)):
                ids = [r.pk for r in written]
                for start in range(0, len(ids), 900):
                    chunk = ids[start : start + 900]
                    where = f"id IN ({', '.join(['%s'] * len(chunk))})"
                    _history_rows(where, chunk, kind, **history)
        if result.errors:
            transaction.set_rollback(True)
            return result
    if result.created or result.updated:
        data_version_bump()
    return result


def _related_pk(field, record):
    """Return the id a relation of `record` points to: None when it points nowhere,
    False when to a record not written yet."""
    related = field.get_cached_value(record, None)
    if related is None:
        return getattr(record, field.attname)
    return False if related.pk is None else related.pk


def _cycle_errors(records, relations, errors: dict[int, dict[str, list[str]]]) -> None:
    """Add to `errors` the records that point to themselves through new records (a new
    park whose zone is itself): they could never be written."""
    for position, record in enumerate(records):
        for field in relations:
            seen, current = {id(record)}, field.get_cached_value(record, None)
            while current is not None and current.pk is None and id(current) not in seen:
                seen.add(id(current))
                current = field.get_cached_value(current, None)
            if current is not None and current.pk is None:
                errors.setdefault(position, {}).setdefault(field.name, []).append(
                    f"{field.verbose_name}不能是它自己或它的下级"
                )


def _unique_errors(records: Sequence[Model], errors: dict[int, dict[str, list[str]]]) -> None:
    """Add to `errors` the records that would break one of their model's unique
    constraints once written: the same values as another record given, or as a stored
    record that is not given, each said in the words of `validate_constraints`."""
    model = type(records[0])
    given = {r.pk for r in records if r.pk is not None}
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or constraint.condition is not None:
            continue
        if not constraint.fields:
            continue
        attnames = [model._meta.get_field(name).attname for name in constraint.fields]
        taken: dict[tuple, int] = {}
        for values in model.objects.values_list("pk", *attnames):
            if values[0] not in given:
                taken[values[1:]] = -1
        for position, record in enumerate(records):
            if any(name in errors.get(position, {}) for name in constraint.fields):
                continue
            key = tuple(getattr(record, name) for name in attnames)
            if None in key:
                continue  # an empty relation: its own column says so
            if key in taken:
                message = record.unique_error_message(model, tuple(constraint.fields)).messages
                field = constraint.fields[0] if len(constraint.fields) == 1 else NON_FIELD_ERRORS
                errors.setdefault(position, {}).setdefault(field, []).extend(message)
            else:
                taken[key] = position


def _model_errors(
    instances: Sequence[Model],
    errors: dict[int, dict[str, list[str]]],
    *,
    clean: Callable[[Model], None] | None = None,
) -> None:
    """Add to `errors` what `full_clean` would say of each instance (its fields, its
    model's `clean`, or `clean(instance)` in its place when given, its check
    constraints), the fields already in error excluded as `full_clean(exclude=…)`
    excludes them, without a query per row.

    A field's check depends on its value only: each distinct value is checked once. A
    foreign key is checked for emptiness only (its value was looked up). A check
    constraint is evaluated once per combination of the values it reads. Unique
    constraints are the caller's: its rows are keyed on them.
    """
    if not instances:
        return
    meta = type(instances[0])._meta
    model = type(instances[0])
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    checks = [
        (c, sorted(c.condition.referenced_base_fields))
        for c in meta.constraints
        if isinstance(c, CheckConstraint)
    ]
    if clean is None and model.clean is not Model.clean:
        clean = model.clean
    seen: dict[tuple, tuple] = {}
    verdicts: dict[tuple, list[str]] = {}
    for position, instance in enumerate(instances):
        found = errors.get(position, {})
        excluded = set(found)
        row: dict[str, list[str]] = {}
        for f in fields:
            if f.name in excluded:
                continue
            raw = getattr(instance, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            if f.is_relation and raw is not None:
                continue
            key = (f.name, raw.__class__, raw)
            if key not in seen:
                try:
                    seen[key] = (f.clean(raw, instance), None)
                except ValidationError as error:
                    seen[key] = (raw, error.messages)
            cleaned, messages = seen[key]
            if messages:
                row[f.name] = list(messages)
            elif cleaned is not raw:
                setattr(instance, f.attname, cleaned)
        if clean is not None:
            try:
                clean(instance)
            except ValidationError as error:
                found = (
                    error.message_dict
                    if hasattr(error, "error_dict")
                    else {NON_FIELD_ERRORS: error.messages}
                )
                for name, messages in found.items():
                    row.setdefault(name, []).extend(messages)
        skip = excluded | set(row)
        for constraint, reads in checks:
            if skip.intersection(reads):
                continue
            key = (constraint.name, *(getattr(instance, meta.get_field(r).attname) for r in reads))
            if key not in verdicts:
                verdicts[key] = _check_messages(constraint, model, instance)
            if verdicts[key]:
                row.setdefault(NON_FIELD_ERRORS, []).extend(verdicts[key])
        for name, messages in row.items():
            errors.setdefault(position, {}).setdefault(name, []).extend(messages)


class _NotSimple(Exception):
    """A check constraint's condition that Python does not evaluate: the database does."""


_COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _check_messages(constraint: CheckConstraint, model, instance: Model) -> list[str]:
    """Return what a check constraint says of `instance` ([] when it holds).

    A condition of plain comparisons (=, >, >=, <, <=, IS NULL against a value or
    another field, joined by AND, OR, NOT) is evaluated here as the database would,
    with SQL's unknown passing as a CHECK passes; any other asks the database
    (`constraint.validate`), as `full_clean` does."""
    try:
        holds = _holds(constraint.condition, instance) is not False
    except _NotSimple:
        try:
            constraint.validate(model, instance)
        except ValidationError as error:
            return error.messages
        return []
    return [] if holds else [str(constraint.get_violation_error_message())]


def _holds(condition, instance: Model) -> bool | None:
    """Evaluate a Q of plain comparisons on `instance`: True, False or None (unknown)."""
    if not isinstance(condition, Q):
        raise _NotSimple
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_holds(child, instance))
        else:
            results.append(_compared(*child, instance))
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    elif condition.connector == Q.OR:
        result = True if True in results else None if None in results else False
    else:
        raise _NotSimple
    if condition.negated and result is not None:
        result = not result
    return result


def _compared(lookup: str, against, instance: Model) -> bool | None:
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    meta = instance._meta
    try:
        value = getattr(instance, meta.get_field(name).attname)
    except FieldDoesNotExist as missing:
        raise _NotSimple from missing
    if kind == "isnull" and isinstance(against, bool):
        return (value is None) is against
    if kind not in _COMPARISONS:
        raise _NotSimple
    if isinstance(against, F):
        try:
            against = getattr(instance, meta.get_field(against.name).attname)
        except FieldDoesNotExist as missing:
            raise _NotSimple from missing
    elif isinstance(against, Combinable | BaseExpression):
        raise _NotSimple
    if value is None or against is None:
        return None
    try:
        return _COMPARISONS[kind](value, against)
    except TypeError as mismatch:
        raise _NotSimple from mismatch
