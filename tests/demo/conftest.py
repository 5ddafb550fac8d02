"""The demo is loaded in development, as `make run` does: its tests run with DEBUG on."""

import pytest


@pytest.fixture(autouse=True)
def development_mode(settings):
    settings.DEBUG = True
