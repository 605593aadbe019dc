"""debrief's page extraction against plain trafilatura on the real-page corpus.

    python benchmarks/page_eval.py [--pages]

The corpus is tests/support/pages/real (German article pages of trafilatura's test
suite, with the strings its tests expect present and gone; gathered by
tests/support/gather_real_pages.py). Both are judged the same way (tests/support/
real_pages.py): "clean" when every expected string is there and none of those expected
gone; "strict" when also no boilerplate block of our list is left, no sentence is cut
between paragraphs and the headline is not repeated at the top of the body. Plain
trafilatura is `trafilatura.extract(html, url=url)` with its defaults, as its own tests
call it, its paragraphs the lines of its text; its title for the headline test is its
metadata's. Strings trafilatura finds only in reader comments are not judged (its
defaults keep comments; debrief leaves them out). With --pages, a line per page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.real_pages import Verdict, judge, real_pages  # noqa: E402

from debrief.errors import DebriefError  # noqa: E402
from translate.webpage import article_from_html  # noqa: E402


def debrief_verdict(page) -> Verdict | None:
    try:
        article = article_from_html(page.html(), page.file, url=page.url)
    except DebriefError:
        return None  # refused
    return judge(page, list(article.paragraphs), article.title)


def trafilatura_verdict(page) -> Verdict | None:
    import trafilatura

    html = page.html().decode("utf-8", "replace")
    text = trafilatura.extract(html, url=page.url)
    if not text:
        return None
    metadata = trafilatura.extract_metadata(html, default_url=page.url)
    lines = [line for line in text.split("\n") if line.strip()]
    return judge(page, lines, metadata.title if metadata else None)


def _mark(verdict: Verdict | None) -> str:
    if verdict is None:
        return "refused"
    return "strict" if verdict.strict else "clean" if verdict.clean else "DIRTY"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", action="store_true", help="a line per page")
    arguments = parser.parse_args()
    pages = real_pages()
    scores = {"debrief": [0, 0, 0], "trafilatura": [0, 0, 0]}
    for page in pages:
        verdicts = {"debrief": debrief_verdict(page), "trafilatura": trafilatura_verdict(page)}
        for name, verdict in verdicts.items():
            scores[name][0] += verdict is not None and verdict.clean
            scores[name][1] += verdict is not None and verdict.strict
            scores[name][2] += verdict is None
        if arguments.pages:
            print(
                f"{page.file:<48} debrief {_mark(verdicts['debrief']):<8} "
                f"trafilatura {_mark(verdicts['trafilatura'])}"
            )
    import trafilatura

    print(f"\n{len(pages)} real pages; trafilatura {trafilatura.__version__}\n")
    print("| extractor | clean | strict | refused |")
    print("| --- | ---: | ---: | ---: |")
    for name, (clean, strict, refused) in scores.items():
        print(f"| {name} | {clean}/{len(pages)} | {strict}/{len(pages)} | {refused} |")


if __name__ == "__main__":
    main()
