"""English sentence splitting and chunking: tables and no-loss properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.runtime.cutting import pack_greedily
from summarize.chunking import chunk_text, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        (
            "Mr. Smith met Dr. Jones in the U.S. on Monday. They talked.",
            ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They talked."],
        ),
        ("Prices rose 3.5 percent. Wages did not.", ["Prices rose 3.5 percent.", "Wages did not."]),
        (
            "A paragraph without a stop\n\nAnother one",
            ["A paragraph without a stop", "Another one"],
        ),
        ("Wrapped\nline here. Next.", ["Wrapped line here.", "Next."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def words(text: str) -> int:
    return len(text.split())


def test_chunk_text_packs_whole_sentences():
    text = "One two three. Four five. Six seven eight nine. Ten."
    assert chunk_text(text, words, max_tokens=5) == [
        "One two three. Four five.",
        "Six seven eight nine. Ten.",
    ]


def test_chunk_text_cuts_an_overlong_sentence_between_words():
    text = "Short. " + " ".join(f"w{index}" for index in range(12)) + "."
    chunks = chunk_text(text, words, max_tokens=5)
    assert chunks[0] == "Short."
    assert all(words(chunk) <= 5 for chunk in chunks)
    assert " ".join(chunks) == " ".join(text.split())


def test_pack_greedily_hands_overlong_units_to_the_splitter():
    packed = pack_greedily(["ab", "cdefgh", "ij"], lambda s: len(s) <= 4, lambda u: [u[:4], u[4:]])
    assert packed == ["ab", "cdef", "gh", "ij"]


ENGLISH = st.lists(
    st.sampled_from([*"abcdefghij ABC.,!?\n", " Mr. ", " U.S. ", " 3.5 ", "\n\n", "end. "]),
    max_size=150,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(ENGLISH, st.integers(min_value=1, max_value=30))
def test_chunks_are_bounded_and_lose_nothing(text, max_tokens):
    chunks = chunk_text(text, len, max_tokens)
    assert all(len(chunk) <= max_tokens for chunk in chunks)
    joined = "".join(chunks).replace(" ", "")
    assert joined == "".join(text.split())


def test_separator_before_a_number_does_not_crash_pysbd():
    # pysbd 0.3.4 raised ValueError on "\x1f9. ": found by hypothesis on the German side.
    assert split_sentences("It was 0\x1f9. Then more came.") == ["It was 0 9.", "Then more came."]
