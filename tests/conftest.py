import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run on PostgreSQL only (make test's second pass)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="PostgreSQL only (make test's second pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached pages do not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to a /ru/ page through the test
    client leaves Russian active in the test's thread (the locale middleware activates each
    request's language and leaves it), and an address the next test builds would be Russian."""
    from django.utils import translation

    translation.deactivate()
    yield


@pytest.fixture
def seeds(db):
    """The three real seed releases, imported as published."""
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from releases.models import Release

    folder = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
    call_command(
        "import_releases",
        str(folder),
        "--root",
        str(folder),
        "--status",
        "published",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    return {Path(r.source_file).name[:3]: r for r in Release.objects.all()}
