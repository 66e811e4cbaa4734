"""Shared fixtures: books built once per session, from the fixture and the real manuscript."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from build_tools.build import FORMATS, Project, build

pytest_plugins = ("preview_tools",)  # the preview's fixtures, for its two test modules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STYLES = ROOT / "styles"
EPOCH = "1767225600"  # 2026-01-01: the date of the session's books, for stable golden files
# As the session found it: the books above set their date for their own build only.
ENVIRONMENT_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")

# The fuzz tests' profiles (issue 17): "short" in make test, the same examples every run;
# "fuzz" (HYPOTHESIS_PROFILE=fuzz, make fuzz) new random ones, FUZZ_SCALE times as many.
# No example database: a failure prints its example (and the blob that replays it).
FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
FUZZ_SCALE = 40
settings.register_profile(
    "short",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz", settings.get_profile("short"), derandomize=False, print_blob=True)
settings.load_profile("fuzz" if FUZZ else "short")


def examples(short: int) -> settings:
    """A fuzz test's settings: ``short`` examples, or FUZZ_SCALE times as many under make fuzz."""
    return settings(max_examples=short * FUZZ_SCALE if FUZZ else short)


def book_toml(files: list[str], extra: str = "", title: str = "T") -> str:
    """The smallest valid book.toml, for manuscripts that tests write."""
    listed = ", ".join(f'"{name}"' for name in files)
    return (
        f'[book]\ntitle = "{title}"\nauthor = "A B"\nlanguage = "en"\n'
        'identifier = "urn:uuid:00000000-0000-4000-8000-000000000000"\n'
        'publisher = "P"\nrights = "R"\n\n'
        f"[contents]\nfiles = [{listed}]\n{extra}"
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--save-golden-files", action="store_true", help="rewrite the golden files from this run"
    )


@pytest.fixture(scope="session")
def save_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--save-golden-files"))


@contextmanager
def quiet_layout() -> Iterator[None]:
    """A build at the session's date that WeasyPrint must lay out without a warning: like
    WeasyPrint's own assert_no_logs, a stray warning is a layout problem unseen."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        with pytest.MonkeyPatch.context() as patch:  # for this build only: never the session's
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            yield
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    assert [r.getMessage() for r in records] == []


def _built(
    tmp_path_factory: pytest.TempPathFactory, source: Path, name: str, formats: Sequence[str] = FORMATS
):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp(name)
    with quiet_layout():
        book, written = build(Project(source, STYLES, out), formats)
    return book, {path.suffix: path for path in written}


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The two-chapter fixture book: (Book, {".epub": path, ".pdf": path})."""
    return _built(tmp_path_factory, FIXTURES / "small", "small")


@pytest.fixture(scope="session")
def small_epub(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The fixture book as ``book build epub`` makes it: no PDF is laid out, so nothing of print
    is in it (page markers, page-list, printed locators). The golden files are made of it."""
    return _built(tmp_path_factory, FIXTURES / "small", "small-epub", ("epub",))


@pytest.fixture(scope="session")
def essay(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The first book, from manuscript/."""
    return _built(tmp_path_factory, ROOT / "manuscript", "essay")
