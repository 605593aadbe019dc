"""debrief's summary stage: English text in, a short English brief out.

    from summarize import load_summarizer

    summarizer = load_summarizer("sshleifer/distilbart-cnn-12-6")   # or "lead-3"
    summary = summarizer.summarize(english_text)
    print(summary.text, summary.chunks)

It builds on debrief's base (debrief.errors, debrief.runtime) and never imports translate/.
"""

from debrief.errors import BackendError, DebriefError, ModelLoadError, ModelNotFoundError
from summarize.chunking import chunk_text, split_sentences
from summarize.model import (
    DEFAULT_SUMMARY_MODEL,
    LEAD_3,
    LENGTH_PRESETS,
    LeadSummarizer,
    Seq2SeqSummarizer,
    Summarizer,
    Summary,
    length_settings,
    load_summarizer,
)

__all__ = [
    "DEFAULT_SUMMARY_MODEL",
    "LEAD_3",
    "LENGTH_PRESETS",
    "BackendError",
    "DebriefError",
    "LeadSummarizer",
    "ModelLoadError",
    "ModelNotFoundError",
    "Seq2SeqSummarizer",
    "Summarizer",
    "Summary",
    "chunk_text",
    "length_settings",
    "load_summarizer",
    "split_sentences",
]
