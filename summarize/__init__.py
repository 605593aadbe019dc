"""debrief's summary package: English text in, a short English brief out.

    from summarize import load_summarizer

    summarizer = load_summarizer("sshleifer/distilbart-cnn-12-6")   # or "lead-3"
    summary = summarizer.summarize(english_text)
    print(summary.text, summary.chunks)

This package never imports translate/; translate builds on it.
"""

from summarize.chunking import chunk_text, split_sentences
from summarize.errors import BackendError, DebriefError, ModelLoadError, ModelNotFoundError
from summarize.model import (
    DEFAULT_SUMMARY_MODEL,
    LEAD_3,
    LENGTH_PRESETS,
    CTranslate2Summarizer,
    LeadSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
    Summary,
    length_settings,
    load_summarizer,
)
from summarize.runtime import configure_threads

__all__ = [
    "DEFAULT_SUMMARY_MODEL",
    "LEAD_3",
    "LENGTH_PRESETS",
    "BackendError",
    "CTranslate2Summarizer",
    "DebriefError",
    "LeadSummarizer",
    "ModelLoadError",
    "ModelNotFoundError",
    "Seq2SeqSummarizer",
    "Summarizer",
    "Summary",
    "chunk_text",
    "configure_threads",
    "length_settings",
    "load_summarizer",
    "split_sentences",
]
