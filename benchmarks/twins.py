"""Full-size random-weight twins of the real models, saved once in the save_pretrained layout.

    python benchmarks/twins.py [DIR]     # default out/twins

No real weights can be downloaded where this was written, so each model is rebuilt from
its published config (benchmarks/configs/) with seeded random weights and saved with a
tokenizer trained here: `DIR/opus-mt-de-en` and `DIR/distilbart-cnn-12-6` then load
through the same `from_pretrained` path as the real models, in the benchmark and in the
CLI. The tokenizers know fewer pieces than the models' vocabularies (one article cannot
teach 58,101 pieces); the missing ids are made-up short words, so every id the models
can emit decodes to something word-like. Building takes about half a minute; later calls
reuse the directories. A random model measures speed and memory, never quality.
"""

from __future__ import annotations

import itertools
import json
import shutil
import string
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_DIRECTORY = REPO / "out" / "twins"
MARIAN = "opus-mt-de-en"
BART = "distilbart-cnn-12-6"
# A random model rarely emits </s>; a twin loaded by the CLI would decode to 512 tokens
# per sentence. 48 is about the seed's mean pinned length (1.1 x 41 source tokens + 2),
# so a CLI run writes about as much English as the real model would. The benchmark
# pins lengths itself; this only bounds CLI runs.
CLI_MAX_LENGTH = 48

sys.path.insert(0, str(REPO / "tests"))


def load_config(name: str) -> dict:
    """The published config.json of model `name`, without our comment."""
    config = json.loads((HERE / "configs" / f"{name}.json").read_text(encoding="utf-8"))
    config.pop("_comment", None)
    return config


def seed_sentences() -> list[str]:
    """The seed article's sentences, as debrief segments them."""
    from translate.reading import read_article
    from translate.segment import segment_paragraph

    article = read_article(REPO / "seeds" / "belarus-russland-2020-08.de.txt")
    return [s for paragraph in article.paragraphs for s in segment_paragraph(paragraph)]


def _filler_words(prefix: str) -> Iterator[str]:
    """Short made-up words (ab, ac, ..., abc, ...): what a random model emits reads as
    words, so its English is about as long in the summarizer's tokens as real text."""
    for length in (2, 3, 4):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield prefix + "".join(letters)


def _filled_vocabulary(
    pieces: list[str], size: int, fixed: dict[str, int], word_prefix: str
) -> dict[str, int]:
    """`fixed` ids, then `pieces`, then made-up words up to `size` ids."""
    vocab = dict(fixed)
    taken = set(vocab.values())
    next_id = 0
    for piece in itertools.chain(pieces, _filler_words(word_prefix)):
        if len(vocab) >= size:
            break
        if piece in vocab:
            continue
        while next_id in taken:
            next_id += 1
        vocab[piece] = next_id
        taken.add(next_id)
    return vocab


def build_marian_twin(directory: Path) -> Path:
    """MarianMTModel with opus-mt-de-en's config and a sentencepiece tokenizer trained here."""
    import torch
    from support.tiny_models import (
        ENGLISH_TRAINING_TEXT,
        GERMAN_TRAINING_TEXT,
        save_marian_tokenizer,
        sentencepiece_pieces,
        train_sentencepiece,
        zero_pad_embedding,
    )
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    config = MarianConfig(**load_config(MARIAN))
    source_spm = train_sentencepiece(
        GERMAN_TRAINING_TEXT + "\n".join(seed_sentences()), vocab_size=2000
    )
    target_spm = train_sentencepiece(ENGLISH_TRAINING_TEXT, vocab_size=400)
    vocab = _filled_vocabulary(
        sentencepiece_pieces(source_spm, target_spm),
        config.vocab_size,
        {"</s>": 0, "<unk>": 1, "<pad>": config.pad_token_id},
        word_prefix="▁",
    )
    tokenizer = save_marian_tokenizer(
        directory, source_spm, target_spm, vocab, model_max_length=512
    )
    torch.manual_seed(0)
    model = MarianMTModel(config).eval()
    zero_pad_embedding(model)  # the published model's <pad> row is zero
    model.generation_config = GenerationConfig(
        num_beams=4,
        max_length=CLI_MAX_LENGTH,
        bad_words_ids=[[config.pad_token_id]],
        bos_token_id=0,
        decoder_start_token_id=config.pad_token_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=config.pad_token_id,
    )
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def build_bart_twin(directory: Path) -> Path:
    """BartForConditionalGeneration with distilbart-cnn-12-6 config and a BPE tokenizer."""
    import torch
    from support.tiny_models import ENGLISH_TRAINING_TEXT
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    published = load_config(BART)
    config = BartConfig(**published)
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        ENGLISH_TRAINING_TEXT.splitlines(),
        vocab_size=1000,
        min_frequency=1,
        show_progress=False,
        special_tokens=specials,
    )
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        vocab_file, merges_file = bpe.save_model(scratch)
        trained = json.loads(Path(vocab_file).read_text(encoding="utf-8"))
        # <mask> is the last id of the real vocabulary; keep it there.
        fixed = {token: trained[token] for token in specials[:4]}
        fixed["<mask>"] = config.vocab_size - 1
        ordinary = sorted((t for t in trained if t not in fixed), key=trained.__getitem__)
        vocab = _filled_vocabulary(ordinary, config.vocab_size, fixed, word_prefix="Ġ")
        Path(vocab_file).write_text(json.dumps(vocab), encoding="utf-8")
        tokenizer = BartTokenizer(vocab=vocab_file, merges=merges_file, model_max_length=1024)
        tokenizer.save_pretrained(directory)
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config).eval()
    model.save_pretrained(directory)
    # The published model keeps its generation settings in config.json; so does the twin.
    (directory / "generation_config.json").unlink(missing_ok=True)
    config_path = directory / "config.json"
    saved = json.loads(config_path.read_text(encoding="utf-8"))
    for key in ("num_beams", "length_penalty", "min_length", "max_length", "no_repeat_ngram_size"):
        saved[key] = published[key]
    saved["early_stopping"] = True
    config_path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    return directory


def ensure_twins(directory: Path = DEFAULT_DIRECTORY) -> dict[str, Path]:
    """The twins' directories under `directory`, built on first use."""
    builders = {MARIAN: build_marian_twin, BART: build_bart_twin}
    paths = {}
    for name, build in builders.items():
        path = directory / name
        if not (path / "config.json").exists():
            scratch = directory / f".{name}.partial"
            shutil.rmtree(scratch, ignore_errors=True)
            build(scratch)
            scratch.rename(path)  # a half-built twin is never mistaken for a whole one
        paths[name] = path
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIRECTORY
    for path in ensure_twins(target).values():
        print(path)
