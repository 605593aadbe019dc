"""Gather the real-page corpus: German-language article pages that trafilatura's test
suite keeps in tests/cache, each with the strings its tests/realworld_tests.py expects in
the extracted text and those it expects to be gone; and the German pages of Mozilla
Readability's test suite (test/test-pages/*/source.html with "lang": "de"), each with
the opening of every paragraph of its expected.html; and the German pages of goose3's
(tests/data/content/*.html of a .de domain), each with the opening of every paragraph of
its expected cleaned_text.

    python tests/support/gather_real_pages.py TRAFILATURA [READABILITY [GOOSE3]]

Each is a git checkout (or bare mirror) of github.com/adbar/trafilatura,
github.com/mozilla/readability and github.com/goose3/goose3.
Writes tests/support/pages/real/: each page gzipped as trafilatura stores it, and
manifest.json with its source, commit, licence note and strings (those trafilatura finds
only in the page's reader comments listed apart: debrief leaves comments out). trafilatura's
tests/eval pages are not read: they are kept apart to measure the result.
"""

from __future__ import annotations

import ast
import gzip
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "pages" / "real"
# German pages of the cache that are not articles (a shop, a product list, a club's,
# a firm's or a city's page, an event notice): the corpus is of articles.
NOT_ARTICLES = frozenset(
    """ebrosia.de.zinfandel.html toralin.de.schmierfett.html hundeverein-kreisunna.de.html
    fairkom.eu.about.html viehbacher.com.steuerrecht.html chip.de.tests.html
    wehranlage-horka.de.887.html stuttgart.de.html""".split()
)
READABILITY_LICENCE = (
    "page: its publisher's, kept as Readability's test suite keeps it (test/test-pages); "
    "strings: the paragraphs of its expected.html, Apache-2.0"
)
GOOSE_LICENCE = (
    "page: its publisher's, kept as goose3's test suite keeps it (tests/data/content); "
    "strings: the paragraphs of its expected cleaned_text, Apache-2.0"
)
# A paragraph of Readability's or goose3's expected text is looked for by its opening characters.
OPENING_CHARACTERS = 60
LICENCE = (
    "page: its publisher's, kept as trafilatura's test suite keeps it (tests/cache); "
    "strings: trafilatura's tests/realworld_tests.py, Apache-2.0"
)


def _git(checkout: str, *command: str) -> str:
    return subprocess.run(
        ["git", "-C", checkout, *command], capture_output=True, text=True, check=True
    ).stdout


def git_show(checkout: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", checkout, "show", f"HEAD:{path}"], capture_output=True, check=True
    ).stdout


def _strings(test: ast.expr, present: list[str], absent: list[str]) -> None:
    """The literal strings of `assert "x" in result and "y" not in result`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            _strings(value, present, absent)
        return
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return
    right, left = test.comparators[0], test.left
    if not (isinstance(right, ast.Name) and right.id == "result"):
        return
    if isinstance(left, ast.Constant) and isinstance(left.value, str):
        if isinstance(test.ops[0], ast.In):
            present.append(left.value)
        elif isinstance(test.ops[0], ast.NotIn):
            absent.append(left.value)


def expected_strings(source: str) -> tuple[dict[str, str], dict[str, dict[str, list[str]]]]:
    """(URL -> cached file, URL -> strings) from realworld_tests.py: the asserts that
    follow each `result = do_load_page(URL)` in a test's body (not those under an `if`,
    which hold for one output format only)."""
    tree = ast.parse(source)
    pages: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MOCK_PAGES":
            pages = ast.literal_eval(node.value)
    expected: dict[str, dict[str, list[str]]] = {}
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        url = None
        for statement in function.body:
            if isinstance(statement, ast.Assign) and getattr(statement.targets[0], "id", "") == (
                "result"
            ):
                call = statement.value
                loads = isinstance(call, ast.Call) and getattr(call.func, "id", "") in (
                    "do_load_page",
                    "load_mock_page",
                )
                url = ast.literal_eval(call.args[0]) if loads and call.args else None
                if url in pages:
                    expected.setdefault(url, {"present": [], "absent": []})
                else:
                    url = None
            elif isinstance(statement, ast.Assert) and url:
                _strings(statement.test, expected[url]["present"], expected[url]["absent"])
    return pages, expected


def _flat(text: str) -> str:
    return " ".join(text.split())


def split_comments(data: bytes, url: str, present: list[str]) -> tuple[list[str], list[str]]:
    """(strings of the article, strings of its reader comments): trafilatura's tests
    extract comments too, debrief leaves them out, so a string that trafilatura finds
    only in the comments section is expected gone from debrief's text."""
    import trafilatura

    document = trafilatura.bare_extraction(
        data.decode("utf-8", "replace"), url=url, include_comments=True, with_metadata=True
    )
    body = _flat(document.text or "") if document else ""
    comments = _flat(document.comments or "") if document else ""
    in_comments = [s for s in present if _flat(s) in comments and _flat(s) not in body]
    return [s for s in present if s not in in_comments], in_comments


def is_german(data: bytes, strings: list[str]) -> bool:
    import trafilatura
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(
        Language.GERMAN, Language.ENGLISH, Language.FRENCH, Language.CHINESE
    ).build()
    text = trafilatura.extract(data.decode("utf-8", "replace")) or ""
    return all(
        detector.detect_language_of(sample) == Language.GERMAN
        for sample in (text[:3000], " ".join(strings))
    )


def readability_pages(checkout: str) -> list[dict]:
    """The German pages of Readability's test suite, stored, with their strings."""
    from lxml import html as lxml_html

    commit = _git(checkout, "rev-parse", "HEAD").strip()
    listing = _git(checkout, "ls-tree", "--name-only", "HEAD", "test/test-pages/").split()
    entries = []
    for folder in listing:
        try:
            metadata = json.loads(git_show(checkout, f"{folder}/expected-metadata.json"))
        except subprocess.CalledProcessError:
            continue
        if metadata.get("lang") != "de":
            continue
        expected = lxml_html.fromstring(git_show(checkout, f"{folder}/expected.html").decode())
        paragraphs = [" ".join(p.text_content().split()) for p in expected.iter("p")]
        name = f"readability.{folder.rsplit('/', 1)[-1]}.html.gz"
        (OUT / name).write_bytes(
            gzip.compress(git_show(checkout, f"{folder}/source.html"), mtime=0)
        )
        entries.append(
            {
                "file": name,
                "url": None,
                "source": f"github.com/mozilla/readability {folder}/source.html at {commit}",
                "licence": READABILITY_LICENCE,
                "present": [p[:OPENING_CHARACTERS] for p in paragraphs if len(p) > 40],
                "absent": [],
                "comments": [],
            }
        )
    return entries


def goose_pages(checkout: str) -> list[dict]:
    """The German pages of goose3's content tests, stored, with their strings."""
    commit = _git(checkout, "rev-parse", "HEAD").strip()
    listing = _git(checkout, "ls-tree", "--name-only", "HEAD", "tests/data/content/").split()
    entries = []
    for path in listing:
        if not path.endswith(".json"):
            continue
        case = json.loads(git_show(checkout, path))
        expected = case.get("expected", {})
        if not str(expected.get("domain", "")).endswith(".de"):
            continue
        source = path.removesuffix(".json") + ".html"
        name = f"goose3.{source.rsplit('/', 1)[-1]}.gz"
        (OUT / name).write_bytes(gzip.compress(git_show(checkout, source), mtime=0))
        paragraphs = [" ".join(p.split()) for p in expected["cleaned_text"].split("\n\n")]
        entries.append(
            {
                "file": name,
                "url": case.get("url"),
                "source": f"github.com/goose3/goose3 {source} at {commit}",
                "licence": GOOSE_LICENCE,
                "present": [p[:OPENING_CHARACTERS] for p in paragraphs if len(p) > 40],
                "absent": [],
                "comments": [],
            }
        )
    return entries


def main(checkout: str, readability: str | None = None, goose: str | None = None) -> None:
    commit = _git(checkout, "rev-parse", "HEAD").strip()
    pages, expected = expected_strings(git_show(checkout, "tests/realworld_tests.py").decode())
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for url, strings in expected.items():
        name = pages[url]
        if not strings["present"] or name in NOT_ARTICLES:
            continue
        data = git_show(checkout, f"tests/cache/{name}")
        if not is_german(data, strings["present"]):
            continue
        article, comments = split_comments(data, url, strings["present"])
        stored = name.encode("ascii", "replace").decode().replace("?", "_") + ".gz"
        (OUT / stored).write_bytes(gzip.compress(data, mtime=0))
        manifest.append(
            {
                "file": stored,
                "url": url,
                "source": f"github.com/adbar/trafilatura tests/cache/{name} at {commit}",
                "licence": LICENCE,
                "present": article,
                "absent": strings["absent"],
                "comments": comments,
            }
        )
    if readability:
        manifest.extend(readability_pages(readability))
    if goose:
        manifest.extend(goose_pages(goose))
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(manifest)} pages in {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
