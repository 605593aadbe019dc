"""The README and docs/ pages: short README, every link and every pointer in a message
or a help text leads to a page and a section that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
SOURCES = [
    path
    for package in ("debrief", "translate", "summarize")
    for path in sorted((REPO_ROOT / package).rglob("*.py"))
]
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown page."""
    found = set()
    in_code = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip().lower()
        title = re.sub(r"[^\w\- ]", "", title)
        found.add(title.replace(" ", "-"))
    return found


def test_the_readme_is_short_and_sends_readers_to_the_docs():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 400
    linked = set(re.findall(r"\(docs/([\w-]+\.md)", "\n".join(lines)))
    assert len(linked) >= 4
    assert all((DOCS / name).is_file() for name in linked)


def test_anchors_read_headings_as_github_does(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# T\n## Archives at scale: `--engine ray`\n```\n# not a heading\n```\n")
    assert anchors(page) == {"t", "archives-at-scale---engine-ray"}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_leads_to_a_page_and_section_that_exist(page):
    text = CODE.sub("", page.read_text(encoding="utf-8"))  # a link in code is text
    for target in MARKDOWN_LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in anchors(file), f"{page.name}: {target}"


def test_the_pages_link_to_each_other():
    relative = [
        target
        for page in PAGES
        for target in MARKDOWN_LINK.findall(CODE.sub("", page.read_text(encoding="utf-8")))
        if not target.startswith(("http://", "https://"))
    ]
    assert len(relative) >= 20  # so that the test above checks something


def test_messages_and_help_point_to_sections_and_pages_that_exist():
    readme = anchors(README)
    pointers = 0
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        for section in re.findall(r"see README: ([A-Za-z ]+[a-z])", text):
            assert section.lower().replace(" ", "-") in readme, f"{source.name}: {section}"
            pointers += 1
        for name in re.findall(r"docs/([\w-]+\.md)", text):
            assert (DOCS / name).is_file(), f"{source.name}: docs/{name}"
            pointers += 1
    # The offline error, and the help of --no-cache and --precision.
    assert pointers >= 3
