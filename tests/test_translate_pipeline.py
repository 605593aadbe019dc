"""The pipeline over a fake translator: batching, order, splitting and reassembly."""

from __future__ import annotations

from conftest import FakeTranslator
from hypothesis import given
from hypothesis import strategies as st

from translate.article import Article
from translate.pipeline import TokenBudget, plan_batches, translate_article, translate_texts
from translate.segment import collapse_whitespace


@given(
    st.lists(st.integers(min_value=1, max_value=600), max_size=200),
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=1, max_value=70),
)
def test_plan_batches_covers_every_index_once_within_budget(lengths, max_tokens, max_segments):
    budget = TokenBudget(max_tokens=max_tokens, max_segments=max_segments)
    batches = plan_batches(lengths, budget)
    assert sorted(index for batch in batches for index in batch) == list(range(len(lengths)))
    for batch in batches:
        assert 1 <= len(batch) <= max_segments
        widest = max(lengths[index] for index in batch)
        assert len(batch) == 1 or widest * len(batch) <= max_tokens


def test_plan_batches_sorts_by_length_longest_first():
    lengths = [3, 10, 1, 7, 7, 2]
    batches = plan_batches(lengths, TokenBudget(max_tokens=20, max_segments=64))
    # 10+7 fit 20 as 2 rows of 10; then 7, 3 as 2 rows of 7; a third row would be 21.
    assert batches == [[1, 3], [4, 0], [5, 2]]


def test_translate_texts_restores_document_order():
    translator = FakeTranslator()
    texts = ["a b c d e f", "a", "a b c", "a b", "a b c d e f g h", "x y"]
    result = translate_texts(texts, translator, budget=TokenBudget(max_tokens=10, max_segments=3))
    assert result == [f"EN[{text}]" for text in texts]
    # The batches really were length-sorted, so the order was restored, not kept.
    seen = [text for batch in translator.batches for text in batch]
    assert seen != texts
    assert [len(text.split()) for text in seen] == sorted(
        (len(t.split()) for t in texts), reverse=True
    )


def test_translate_texts_reports_progress():
    calls = []
    translate_texts(
        ["eins", "zwei drei", "vier"],
        FakeTranslator(),
        budget=TokenBudget(max_tokens=100, max_segments=2),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(2, 3), (3, 3)]


def test_translate_article_aligns_paragraphs_and_segments(fake_translator):
    article = Article(
        paragraphs=("Erster Satz. Zweiter Satz.", "Dritter Satz am 9. August.\nVierter Satz."),
        source_url="https://example.org/artikel",
    )
    result = translate_article(article, fake_translator)
    assert result.source_url == "https://example.org/artikel"
    assert result.model == "fake"
    assert [[s.source for s in p.segments] for p in result.paragraphs] == [
        ["Erster Satz.", "Zweiter Satz."],
        ["Dritter Satz am 9. August.", "Vierter Satz."],
    ]
    assert [p.translation for p in result.paragraphs] == [
        "EN[Erster Satz.] EN[Zweiter Satz.]",
        "EN[Dritter Satz am 9. August.] EN[Vierter Satz.]",
    ]
    assert result.paragraphs[1].source == article.paragraphs[1]


def test_translate_article_tokenizes_each_segment_once(fake_translator):
    counted: list[str] = []
    count_tokens = fake_translator.count_tokens

    def recording_count_tokens(texts):
        counted.extend(texts)
        return count_tokens(texts)

    fake_translator.count_tokens = recording_count_tokens
    translate_article(Article(("Eins. Zwei. Drei.", "Vier. Fünf.")), fake_translator)
    assert counted == ["Eins.", "Zwei.", "Drei.", "Vier.", "Fünf."]


def test_translate_article_keeps_order_across_many_paragraphs():
    paragraphs = tuple(
        " ".join(f"Satz {p}-{s} " + "wort " * ((p * 7 + s * 3) % 11) + "Ende." for s in range(4))
        for p in range(12)
    )
    translator = FakeTranslator()
    result = translate_article(Article(paragraphs), translator, budget=TokenBudget(max_tokens=64))
    assert len(translator.batches) > 1
    for source, paragraph in zip(paragraphs, result.paragraphs, strict=True):
        assert " ".join(s.source for s in paragraph.segments) == collapse_whitespace(source)
        for segment in paragraph.segments:
            assert segment.translation == f"EN[{segment.source}]"


def test_overlong_segment_is_split_translated_and_rejoined_without_loss():
    clause = "die Regierung in Minsk hoffte auf Hilfe aus Moskau"
    sentence = "Damals " + ", ".join([clause] * 70) + "."  # 631 words: over 512 tokens
    translator = FakeTranslator(max_input_tokens=512)
    assert translator.count_tokens([sentence])[0] > 512
    result = translate_article(Article((f"Vorher. {sentence} Nachher.",)), translator)
    segments = result.paragraphs[0].segments
    assert [s.source for s in segments] == ["Vorher.", sentence, "Nachher."]
    long_segment = segments[1]
    assert long_segment.pieces == 2
    # Every piece went to the model within the limit, and together they are the sentence.
    pieces = [t for batch in translator.batches for t in batch if t not in ("Vorher.", "Nachher.")]
    assert len(pieces) == 2
    assert all(translator.count_tokens([piece])[0] <= 512 for piece in pieces)
    assert " ".join(sorted(pieces, key=sentence.index)) == sentence
    assert all(piece.endswith((",", ".")) for piece in pieces)  # cut at a clause boundary
    translated_words = long_segment.translation.replace("EN[", "").replace("]", "").split()
    assert translated_words == sentence.split()
