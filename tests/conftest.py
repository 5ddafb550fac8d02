"""Shared fixtures: a small zone and a user of each role."""

import pytest

from parkportal.choices import Role
from parkportal.roles import sync_role_groups
from tests.factories import ParkFactory, ParkMembershipFactory, UserFactory, ZoneFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test users' passwords cheaply: the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # still checks the passwords of users made outside a test (module-wide fixtures)
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def shared_cache(settings, tmp_path):
    """Give each test a shared cache of its own (imports' progress, workers' heartbeats).

    Files under CACHE_DIR, so that a worker process a test starts shares it.
    """
    settings.CACHE_DIR = tmp_path / "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": settings.CACHE_DIR,
        }
    }
    return settings.CACHE_DIR


@pytest.fixture
def zone(db):
    return ZoneFactory(code="KFQ", name="示范经济开发区")


@pytest.fixture
def park_a(zone):
    return ParkFactory(code="A", name="长古城工业园", parent=zone)


@pytest.fixture
def park_b(zone):
    return ParkFactory(code="B", name="白合工业园", parent=zone)


def make_user(username: str, role: Role, *parks):
    groups = sync_role_groups()
    user = UserFactory(username=username, is_staff=role == Role.ADMIN)
    user.groups.add(groups[role])
    for park in parks:
        ParkMembershipFactory(user=user, park=park)
    return user


@pytest.fixture
def staff_a(park_a):
    return make_user("staff_a", Role.STAFF, park_a)


@pytest.fixture
def staff_b(park_b):
    return make_user("staff_b", Role.STAFF, park_b)


@pytest.fixture
def investment(zone):
    """招商专员 bound to the zone: follows every lead."""
    return make_user("investment", Role.INVESTMENT, zone)


@pytest.fixture
def leader(db):
    return make_user("leader", Role.LEADER)


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMIN)
