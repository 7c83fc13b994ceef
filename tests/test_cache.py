"""The parsed catalog is kept between runs (routeplan/catalog/cache.py): the same catalog,
without parsing its YAML again, and never a stale or damaged one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from routeplan.catalog import cache, store
from routeplan.catalog.store import bundled_catalog_dir, load_catalog


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often the catalog's files are parsed."""
    calls: list[int] = []
    real = store._read

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_read", counting)
    return calls


def test_the_second_load_comes_from_the_cache(parses: list[int]) -> None:
    first = load_catalog()
    second = load_catalog()
    assert second == first
    assert len(parses) == 1
    assert (cache.cache_dir() / "catalog.pickle").is_file()


def test_a_changed_catalog_file_is_read_again(
    parses: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    monkeypatch.setenv("ROUTEPLAN_CATALOG_DIR", str(user))
    shutil.copy(bundled_catalog_dir() / "range-sets.yaml", user / "range-sets.yaml")
    before = load_catalog()
    text = (user / "range-sets.yaml").read_text()
    (user / "range-sets.yaml").write_text(text + "\n# edited by hand\n")
    after = load_catalog()
    assert len(parses) == 2  # not the cached catalog of the file before the edit
    assert after == before  # a comment changes nothing else
    load_catalog()
    assert len(parses) == 2


def test_a_damaged_cache_is_ignored_and_replaced(parses: list[int]) -> None:
    good = load_catalog()
    path = cache.cache_dir() / "catalog.pickle"
    for damage in (b"", b"not a pickle", path.read_bytes()[:1000]):
        path.write_bytes(damage)
        assert load_catalog() == good
    assert len(parses) == 4
    assert load_catalog() == good
    assert len(parses) == 4  # written again, whole


def test_no_cache_when_turned_off_or_not_writable(
    parses: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTEPLAN_NO_CACHE", "1")
    load_catalog()
    load_catalog()
    assert len(parses) == 2
    assert not (cache.cache_dir() / "catalog.pickle").exists()
    monkeypatch.delenv("ROUTEPLAN_NO_CACHE")
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert load_catalog() == load_catalog()
    assert len(parses) == 4


def test_catalogs_named_by_directory_are_not_cached(parses: list[int]) -> None:
    load_catalog([bundled_catalog_dir()])
    load_catalog([bundled_catalog_dir()])
    assert len(parses) == 2
    assert not (cache.cache_dir() / "catalog.pickle").exists()


def test_no_home_directory_means_no_cache(
    parses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service account without a home directory (NetBox's worker, say) reads the files,
    with no user catalog and no cache."""
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("XDG_DATA_HOME")

    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    first = load_catalog()
    assert load_catalog() == first
    assert len(parses) == 2
