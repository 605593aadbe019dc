"""HTML translated in context (debrief/server/html_text.py): a block's text goes to the
model whole, its inline elements are put back around their words in the English, and
where that cannot be done each run of text is translated alone; markup and protected
text stay byte for byte."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from debrief.server.html_text import locate, translate_html

# What a real model does and the fake one does not: reorder words, change their case.
ENGLISH = {
    "Ich habe das Buch gestern gelesen.": "I read the book yesterday.",
    "das Buch": "The book",
    "gelesen": "read",
    "gestern": "yesterday",
    "Ich habe": "I have",
    ".": ".",
    "Lies example.org heute.": "Read example.org today.",
    "Lies": "Read",
    "heute.": "today.",
    "Lies x.example heute.": "Read it today.",  # the protected link's text is lost
    "Die Wahl in Berlin": "The election in Berlin",
    "Berlin": "Berlin",
    "Die Wahl in": "The election in",
    "Die Wahl in Berlin heute.": "Today's election in the capital.",
}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return [ENGLISH.get(text, f"EN[{text}]") for text in texts]


def test_inline_elements_follow_their_words_when_the_english_reorders_them():
    model = Recorder()
    html = "<p>Ich habe <b>das Buch</b> gestern <i>gelesen</i>.</p>"
    assert translate_html(html, model) == "<p>I <i>read</i> <b>the book</b> yesterday.</p>"
    # the whole sentence went to the model, and each inline element's words alone
    assert model.calls == [["Ich habe das Buch gestern gelesen.", "das Buch", "gelesen"]]


def test_a_protected_element_is_placed_where_its_text_stands_in_the_english():
    html = '<p>Lies <a href="https://example.org" translate="no">example.org</a> heute.</p>'
    assert translate_html(html, Recorder()) == (
        '<p>Read <a href="https://example.org" translate="no">example.org</a> today.</p>'
    )


def test_when_the_words_are_not_found_each_run_is_translated_alone():
    model = Recorder()
    html = '<p>Lies <a href="https://x.example" translate="no">x.example</a> heute.</p>'
    assert translate_html(html, model) == (
        '<p>Read <a href="https://x.example" translate="no">x.example</a> today.</p>'
    )
    assert model.calls == [["Lies x.example heute."], ["Lies", "heute."]]


def test_a_block_without_inline_elements_is_one_text_and_blocks_stay_apart():
    model = Recorder()
    html = "<h1>Die Wahl in Berlin</h1>\n<p>Ich habe das Buch gestern gelesen.</p>"
    assert translate_html(html, model) == (
        "<h1>The election in Berlin</h1>\n<p>I read the book yesterday.</p>"
    )
    assert model.calls == [["Die Wahl in Berlin", "Ich habe das Buch gestern gelesen."]]


def test_entities_and_protected_text_stay_as_sent():
    html = "<p>A &amp; B</p><code>a &lt; b &#x26; c</code><p>Stra&szlig;e</p>"
    assert translate_html(html, Recorder()) == (
        "<p>EN[A &amp; B]</p><code>a &lt; b &#x26; c</code><p>EN[Straße]</p>"
    )


def test_an_inline_element_with_two_runs_of_text_is_kept_where_its_words_come_back():
    # a hashtag as Mastodon writes it: its words must come back as sent to be placed
    html = '<p>Die Wahl in <a class="hashtag">Ber<span>lin</span></a></p>'
    assert translate_html(html, Recorder()) == (
        '<p>The election in <a class="hashtag">Ber<span>lin</span></a></p>'
    )
    html = "<p>Die Wahl in <b>Ber<i>lin</i></b> heute.</p>"  # not found: run by run
    assert translate_html(html, Recorder()) == (
        "<p>The election in <b>EN[Ber]<i>EN[lin]</i></b> today.</p>"
    )


def test_locate_prefers_whole_words_and_refuses_overlaps():
    assert locate("Berlin and Berliner", [("Berliner", False), ("Berlin", False)]) == [
        (11, 19),
        (0, 6),
    ]
    assert locate("in in", [("in", False), ("in", False)]) == [(0, 2), (3, 5)]
    assert locate("in", [("in", False), ("in", False)]) is None
    assert locate("Read today.", [("Today.", False)]) == [(5, 10)]  # case and full stop
    assert locate("Read today.", [("Today", True)]) is None  # verbatim is verbatim


_TAG = re.compile(r"<[^>]*>")
words = st.sampled_from(["Die", "Wahl", "in", "Berlin", "heute", "&amp;", "x"])
phrases = st.lists(words, min_size=1, max_size=4).map(" ".join)
inline = st.sampled_from(["b", "i", "em", "span", "a", "code", "time"])


def _nested(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def wrapped(tags: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(lambda tag, html: f"<{tag}>{html}</{tag}>", tags, inner)

    return st.one_of(
        wrapped(inline),
        st.builds(" ".join, st.lists(inner, min_size=2, max_size=3)),
        wrapped(st.sampled_from(["p", "li", "h2", "div"])),
    )


fragments = st.recursive(phrases, _nested, max_leaves=8)


@given(fragments)
def test_every_tag_comes_back_in_order_and_no_text_holds_markup(html):
    model = Recorder()
    english = translate_html(html, model)
    # The model changes words, never tags: each tag once, nesting as sent. (The order
    # of inline elements may change with the words; their count and kinds may not.)
    assert sorted(_TAG.findall(english)) == sorted(_TAG.findall(html))
    assert all("<" not in text and ">" not in text for call in model.calls for text in call)
    assert len(model.calls) <= 2
    for protected in re.findall(r"<code>(.*?)</code>", html):
        if "<" not in protected:
            assert f"<code>{protected}</code>" in english


def test_an_inline_element_that_came_back_as_the_whole_sentence_does_not_swallow_it():
    def same_for_all(texts):  # what a model that ignores its input does
        return ["the same words" for _ in texts]

    html = "<p>Ich habe <b>das Buch</b> gelesen.</p>"
    assert translate_html(html, same_for_all) == (
        "<p>the same words <b>the same words</b> the same words</p>"  # run by run
    )
