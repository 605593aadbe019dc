"""When the digest takes two stories for one (debrief/story_likeness.py): copies with
another headline, cut or added to, are alike; different stories, and texts too short to
judge, are not. The rates on real news are benchmarks/story_grouping_eval.py's."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from debrief.digest_state import DigestState
from debrief.story_likeness import ALIKE, fingerprint, most_alike, resemblance

STORY = [
    "Der Bundestag hat den Haushalt für das kommende Jahr beschlossen.",
    "Die Koalition setzte sich mit knapper Mehrheit durch, die Union stimmte dagegen.",
    "Finanzminister Lindner sprach von einem soliden Rahmen für schwierige Zeiten.",
    "Die Ausgaben steigen auf rund 477 Milliarden Euro, die Neuverschuldung sinkt.",
    "Kritik kam von den Kommunen, die mehr Geld für Schulen und Straßen fordern.",
    "Der Bundesrat soll sich im Dezember abschließend mit dem Etat befassen.",
]
OTHER = [
    "Die Gewerkschaft ruft die Lokführer ab Mittwoch zu einem Streik auf.",
    "Im ganzen Land sollen Fernzüge und Regionalbahnen für zwei Tage stillstehen.",
    "Reisende müssen mit massiven Ausfällen rechnen, warnte der Konzern am Abend.",
    "Der Tarifstreit dauert schon seit Monaten an, eine Einigung ist nicht in Sicht.",
    "Die Arbeitgeber boten zuletzt eine Erhöhung in zwei Stufen an, zu wenig.",
]


def test_copies_another_outlet_would_run_are_alike():
    original = fingerprint(STORY)
    for copy in (
        STORY[:4],  # cut
        ["Etat steht: Das Parlament stimmt zu.", *STORY[1:]],  # its own headline and lead
        [*STORY, *OTHER[:2]],  # a paragraph of its own added
        [sentence.upper() for sentence in STORY],  # case and layout do not count
    ):
        assert resemblance(original, fingerprint(copy)) >= ALIKE, copy


def test_different_stories_and_short_texts_are_not_alike():
    assert resemblance(fingerprint(STORY), fingerprint(OTHER)) < 0.1
    short = fingerprint(STORY[:1])
    assert resemblance(short, fingerprint(STORY)) == 0.0  # too little to judge by


def test_the_most_alike_story_is_chosen_and_none_when_none_is_alike():
    prints = {"other": fingerprint(OTHER), "story": fingerprint(STORY)}
    assert most_alike(fingerprint(STORY[1:]), prints) == "story"
    assert most_alike(fingerprint(OTHER[:1] + STORY[:1]), prints) is None


words = st.lists(st.sampled_from("der die das Haus Bahn Geld Streik Wahl und in am".split()))


@given(words, words)
def test_resemblance_is_symmetric_and_a_share(first, second):
    a, b = fingerprint([" ".join(first)]), fingerprint([" ".join(second)])
    assert resemblance(a, b) == resemblance(b, a)
    assert 0.0 <= resemblance(a, b) <= 1.0


def test_fingerprints_older_than_the_window_are_forgotten(tmp_path):
    now = dt.datetime(2026, 12, 10, tzinfo=dt.UTC)
    state = DigestState(
        tmp_path / "state",
        {
            "old": {"done": "2026-12-01T08:00:00Z", "fingerprint": [4, 8]},
            "new": {"done": "2026-12-09T08:00:00Z", "fingerprint": [2, 6]},
        },
    )
    state.forget_old_fingerprints(dt.timedelta(days=7), now)
    assert state.fingerprints() == {"new": [2, 6]}
    assert "done" in state.stories["old"]
