"""Issue 21, class 5: the CTranslate2 conversion folder is a cache like the translation
cache. Where it cannot be kept (HOME a file, a cache folder that cannot be made, a full
disk), the run converts into a temporary folder with one warning and goes on; only when
that fails too is it one line and exit 2. Through the real CLI, the tiny Marian model and
CTranslate2.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from debrief.cli import main
from debrief.runtime import ctranslate2_backend

pytestmark = pytest.mark.slow

ARTICLE = "Die Regierung in Berlin hat am Montag neue Pläne vorgestellt.\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    pytest.importorskip("ctranslate2")
    (tmp_path / "bericht.de.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _translate(model: Path) -> list[str]:
    return ["translate", "bericht.de.txt", "--model", str(model), "--backend", "ctranslate2"]


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "cannot be kept" in line]


@pytest.mark.parametrize("where", ["home is a file", "cache dir in /proc"])
def test_a_cache_folder_that_cannot_be_made_costs_a_warning_not_the_run(
    work, tiny_marian_dir, monkeypatch, capsys, where
):
    if where == "home is a file":
        (work / "home").write_text("a file, not a folder", encoding="utf-8")
        monkeypatch.setenv("HOME", str(work / "home"))
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.delenv("DEBRIEF_CACHE_DIR")
    else:
        monkeypatch.setenv("DEBRIEF_CACHE_DIR", "/proc/debrief-cache")
    code = main([*_translate(tiny_marian_dir), "-o", "out.en.txt"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert len(_warnings(err)) == 1, err
    assert "converting it into a temporary folder for this run" in err
    assert "Traceback" not in err
    assert (work / "out.en.txt").read_text(encoding="utf-8").strip()


def test_a_full_cache_disk_converts_elsewhere_and_leaves_nothing_half_made(
    work, tiny_marian_dir, monkeypatch, capsys, tmp_path_factory
):
    cache = tmp_path_factory.mktemp("full_cache")
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", str(cache))
    real_convert = ctranslate2_backend.convert

    def disk_full_in_the_cache(location, precision, directory):
        if Path(directory).is_relative_to(cache):
            (Path(directory) / "model.bin").write_bytes(b"half")
            raise OSError(errno.ENOSPC, "No space left on device")
        real_convert(location, precision, directory)

    monkeypatch.setattr(ctranslate2_backend, "convert", disk_full_in_the_cache)
    code = main([*_translate(tiny_marian_dir), "-o", "out.en.txt"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "No space left on device" in _warnings(err)[0]
    assert (work / "out.en.txt").read_text(encoding="utf-8").strip()
    # Nothing that a later run could take for a whole conversion.
    assert not list((cache / "ctranslate2").iterdir())


def test_no_folder_anywhere_is_one_line_exit_2(work, tiny_marian_dir, monkeypatch, capsys):
    monkeypatch.setenv("DEBRIEF_CACHE_DIR", "/proc/debrief-cache")

    def disk_full(location, precision, directory):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ctranslate2_backend, "convert", disk_full)
    before = sorted(work.iterdir())
    code = main([*_translate(tiny_marian_dir), "-o", "out.en.txt", "-q"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.startswith("debrief: error:")]
    assert len(lines) == 1 and "Traceback" not in err
    assert "into a temporary folder either (No space left on device); free some space" in lines[0]
    assert "--backend torch" in lines[0]
    assert sorted(work.iterdir()) == before


def test_a_page_cache_that_cannot_be_written_costs_one_warning(tmp_path, caplog):
    # The cache's folder sits under a file, as with HOME a file.
    from debrief.fetch import FetchedPage, PageCache

    (tmp_path / "home").write_text("a file", encoding="utf-8")
    cache = PageCache(tmp_path / "home" / "pages")
    page = FetchedPage("https://example.org/a", "https://example.org/a", "text/html", None, b"<p>")
    with caplog.at_level("WARNING", logger="debrief"):
        cache.put(page)
        cache.put(page)
    warnings = [r.getMessage() for r in caplog.records if "cannot be cached" in r.getMessage()]
    assert warnings == [
        f"warning: fetched pages cannot be cached in {tmp_path}/home/pages (Not a directory); going on without"
    ]
    assert cache.get("https://example.org/a") is None
