"""Model loaders for the Ray engine's tests. Ray pickles them to its actors, which cannot
import the test modules: the tests register this module (and conftest) to be pickled by
value."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import FakeSummarizer, FakeTranslator


class DiesOnce(FakeTranslator):
    """A fake translator whose process dies in its first batch, once per marker file:
    the worker crash Ray must recover from."""

    def __init__(self, marker: Path) -> None:
        super().__init__()
        self.marker = marker

    def translate_batch(self, texts, *, num_beams=None):
        if not self.marker.exists():
            self.marker.write_text(str(os.getpid()), encoding="utf-8")
            os._exit(1)  # as a segfault or the OOM killer would: no exception, no cleanup
        return super().translate_batch(texts, num_beams=num_beams)


class BreaksOnOneText(FakeTranslator):
    """A fake translator that raises on any text holding "kaputt"."""

    def translate_batch(self, texts, *, num_beams=None):
        if any("kaputt" in text for text in texts):
            raise RuntimeError("the model failed on this text")
        return super().translate_batch(texts, num_beams=num_beams)


def load_fake_translator(plan):
    return FakeTranslator()


def load_breaking_translator(plan):
    return BreaksOnOneText()


def load_fake_summarizer(plan):
    return FakeSummarizer()


def dies_once_loader(marker: Path):
    return lambda plan: DiesOnce(marker)


class AlwaysDies(FakeTranslator):
    """A fake translator whose process dies in every batch: a poisonous article."""

    def translate_batch(self, texts, *, num_beams=None):
        os._exit(1)


def load_always_dying_translator(plan):
    return AlwaysDies()


class LogsItsTexts(FakeTranslator):
    """A fake translator that appends every text it is asked to translate to a file: what
    the actors translated, as opposed to what they found in the cache."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log

    def translate_batch(self, texts, *, num_beams=None):
        with self.log.open("a", encoding="utf-8") as handle:
            handle.writelines(f"{text}\n" for text in texts)
        return super().translate_batch(texts, num_beams=num_beams)


def logging_loader(log: Path):
    return lambda plan: LogsItsTexts(log)
