"""Tiny random-weight models with real tokenizers, saved in the save_pretrained layout.

The tests load these through the same `from_pretrained` code path that real models take,
so everything but translation quality is exercised: a random model translates nothing.

Run as a script to write one for the CLI:

    python tests/tiny_models.py marian out/tiny-marian
    python tests/tiny_models.py bart out/tiny-bart
"""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

# Text written for these tokenizers: German and English news-like sentences covering
# umlauts, ß, quotes, dashes and digits, so that the trained pieces look like the real
# vocabulary's. byte_fallback covers every other character.
GERMAN_TRAINING_TEXT = """\
Der Präsident sprach am Samstag in Minsk über die Lage im Land.
Die Regierung in Moskau hält sich weiter zurück.
„Wir müssen reden“, sagte der Außenminister am 9. August.
Die Proteste dauern seit zwei Wochen an – ein Ende ist nicht in Sicht.
Im 20. Jahrhundert war die Stadt ein Zentrum der Industrie.
Um 14.30 Uhr begann die Kundgebung mit vielen Tausend Teilnehmern.
Die Wirtschaft wuchs um 3,5 Prozent, die Preise stiegen um 1,2 Prozent.
Prof. Dr. Müller erklärte, dass die Union z. B. Kredite und Öl zu günstigen Preisen anbot.
Der 1. FC Köln gewann das Spiel gegen Bayern München.
Schließlich fürchtet man sich vor einem Eingreifen aus dem Osten.
Unabhängige Experten sind sich einig, dass die Wahl gefälscht wurde.
Die Beziehung der beiden Staaten reicht lange zurück.
Wenig später folgte eine Mitteilung des Kremls.
Das Wichtigste sei, dass die Lage nicht von destruktiven Kräften benutzt werde.
Die Opposition fordert Neuwahlen und die Freilassung aller politischen Gefangenen.
Viele Bürger gingen trotz der Polizeigewalt auf die Straße.
Die Europäische Union kündigte Sanktionen gegen Verantwortliche an.
Nach Angaben der Behörden wurden mehr als 6.700 Menschen festgenommen.
Der Straßenverkehr in der Hauptstadt kam zeitweise völlig zum Erliegen.
Größere Städte wie Grodno, Gomel und Brest meldeten ebenfalls Proteste.
"""

ENGLISH_TRAINING_TEXT = """\
The president spoke about the situation in the country in Minsk on Saturday.
The government in Moscow continues to hold back.
"We have to talk," the foreign minister said on 9 August.
The protests have lasted for two weeks - there is no end in sight.
In the 20th century the city was a centre of industry.
The rally with many thousands of participants began at 2.30 pm.
The economy grew by 3.5 percent and prices rose by 1.2 percent.
Professor Müller explained that the union offered loans and oil at low prices, for example.
1. FC Köln won the match against Bayern Munich.
After all, people fear an intervention from the east.
Independent experts agree that the election was rigged.
The relationship between the two states goes back a long way.
A little later the Kremlin issued a statement.
The most important thing is that the situation is not exploited by destructive forces.
The opposition demands new elections and the release of all political prisoners.
Many citizens took to the streets despite the police violence.
The European Union announced sanctions against those responsible.
According to the authorities, more than 6,700 people were arrested.
Traffic in the capital came to a complete standstill at times.
Larger cities such as Grodno, Gomel and Brest also reported protests.
"""


def train_sentencepiece(text: str, vocab_size: int) -> bytes:
    """Train a unigram sentencepiece model on `text` and return its serialized proto."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text.splitlines()),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


def sentencepiece_pieces(*protos: bytes) -> list[str]:
    """The pieces of serialized sentencepiece models in order, without control or unknown."""
    import sentencepiece as spm

    pieces = []
    for proto in protos:
        processor = spm.SentencePieceProcessor(model_proto=proto)
        pieces += [
            processor.id_to_piece(index)
            for index in range(processor.get_piece_size())
            if not (processor.is_control(index) or processor.is_unknown(index))
        ]
    return pieces


def marian_vocabulary(pieces: list[str]) -> dict[str, int]:
    """An opus-mt style shared vocabulary: "</s>" = 0, "<unk>" = 1, the pieces, "<pad>" last."""
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    return vocab


def save_marian_tokenizer(
    directory: Path,
    source_spm: bytes,
    target_spm: bytes,
    vocab: dict[str, int],
    model_max_length: int,
):
    """Write source.spm, target.spm and vocab.json to `directory`; the MarianTokenizer
    that reads them (de -> en)."""
    from transformers import MarianTokenizer

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "source.spm").write_bytes(source_spm)
    (directory / "target.spm").write_bytes(target_spm)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return MarianTokenizer(
        source_spm=str(directory / "source.spm"),
        target_spm=str(directory / "target.spm"),
        vocab=str(directory / "vocab.json"),
        source_lang="de",
        target_lang="en",
        model_max_length=model_max_length,
    )


def marian_config(
    vocab_size: int,
    pad: int,
    *,
    d_model: int,
    layers: int,
    heads: int,
    ffn_dim: int,
    positions: int,
    **extra,
):
    """An opus-mt shaped MarianConfig: </s> = 0, decoding starts from <pad>, swish,
    scaled and shared embeddings; `extra` adds settings (dropout)."""
    from transformers import MarianConfig

    return MarianConfig(
        vocab_size=vocab_size,
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn_dim,
        decoder_ffn_dim=ffn_dim,
        max_position_embeddings=positions,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        **extra,
    )


def marian_generation_config(pad: int, *, num_beams: int, max_length: int, **extra):
    """opus-mt's generation settings (never <pad>, </s> = 0); `extra` adds settings."""
    from transformers import GenerationConfig

    return GenerationConfig(
        num_beams=num_beams,
        max_length=max_length,
        bad_words_ids=[[pad]],
        **extra,
        bos_token_id=0,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=pad,
    )


def shared_marian_tokenizer(directory: Path, text: str, vocab_size: int, model_max_length: int):
    """One sentencepiece model trained on `text` for both sides, saved as a
    MarianTokenizer in `directory` (for models trained here on one made-up language)."""
    proto = train_sentencepiece(text, vocab_size=vocab_size)
    vocab = marian_vocabulary(sentencepiece_pieces(proto))
    return save_marian_tokenizer(directory, proto, proto, vocab, model_max_length)


def train_marian(
    directory: Path,
    tokenizer,
    batch,
    *,
    steps: int,
    seed: int,
    d_model: int,
    layers: int,
    ffn_dim: int,
    max_length: int,
    learning_rate: float,
    num_beams: int = 4,
    decode_length: int | None = None,
) -> dict:
    """Train a Marian model from scratch on `batch(step)` (a list of source, target
    pairs) for `steps` steps and save it with `tokenizer` to `directory`, with opus-mt's
    generation settings (decoding at most `decode_length` tokens, else `max_length`).
    Returns the training figures: steps, seconds, final loss."""
    import time

    import torch
    from transformers import MarianMTModel

    pad = tokenizer.pad_token_id
    config = marian_config(
        len(tokenizer),
        pad,
        d_model=d_model,
        layers=layers,
        heads=4,
        ffn_dim=ffn_dim,
        positions=max_length,
        dropout=0.0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    zero_pad_embedding(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=learning_rate, total_steps=steps
    )
    model.train()
    start, loss = time.perf_counter(), None
    for step in range(steps):
        pairs = batch(step)
        encoded = tokenizer(
            [source for source, _ in pairs],
            text_target=[target for _, target in pairs],
            padding=True,
        )
        labels = torch.tensor(encoded["labels"])
        labels[labels == pad] = -100
        loss = model(
            input_ids=torch.tensor(encoded["input_ids"]),
            attention_mask=torch.tensor(encoded["attention_mask"]),
            labels=labels,
        ).loss
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        zero_pad_embedding(model)  # the decoder reads this row as its start; it must stay zero
    model.eval()
    model.generation_config = marian_generation_config(
        pad, num_beams=num_beams, max_length=decode_length or max_length
    )
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return {"steps": steps, "seconds": time.perf_counter() - start, "final_loss": loss.item()}


def zero_pad_embedding(model) -> None:
    """Zero the <pad> row of the embeddings, as in every published opus-mt model.

    The decoder starts from <pad>; Marian and CTranslate2 start it from a zero vector,
    which is the same only when that row is zero. transformers initialises it at random,
    and training would move it, so a trained model zeroes it again after every step.
    """
    import torch

    with torch.no_grad():
        model.get_input_embeddings().weight[model.config.pad_token_id].zero_()


def build_tiny_marian(directory: Path, max_length: int = 20, seed: int = 0) -> Path:
    """Write a tiny de->en MarianMTModel and MarianTokenizer to `directory`.

    The layout matches Helsinki-NLP/opus-mt-*: source.spm, target.spm, a shared vocab.json
    with "</s>" = 0, "<unk>" = 1 and "<pad>" last, static sinusoidal positions over 512
    positions, and a generation config with 4 beams. `max_length` caps decoding, because
    a random model rarely emits </s> and would otherwise decode to 512 tokens.
    """
    import torch
    from transformers import MarianMTModel

    directory = Path(directory)
    source_spm = train_sentencepiece(GERMAN_TRAINING_TEXT, vocab_size=400)
    target_spm = train_sentencepiece(ENGLISH_TRAINING_TEXT, vocab_size=400)
    vocab = marian_vocabulary(sentencepiece_pieces(source_spm, target_spm))
    tokenizer = save_marian_tokenizer(
        directory, source_spm, target_spm, vocab, model_max_length=512
    )
    pad_id = vocab["<pad>"]
    config = marian_config(
        len(vocab), pad_id, d_model=8, layers=1, heads=2, ffn_dim=16, positions=512
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    zero_pad_embedding(model)
    # Byte-fallback pieces decode to control characters; keeping a random model off them
    # keeps its output printable.
    byte_pieces = [
        index for piece, index in vocab.items() if re.fullmatch(r"<0x[0-9A-F]{2}>", piece)
    ]
    model.generation_config = marian_generation_config(
        pad_id, num_beams=4, max_length=max_length, suppress_tokens=byte_pieces
    )
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def build_tiny_bart(directory: Path, seed: int = 0) -> Path:
    """Write a tiny BartForConditionalGeneration and byte-level BPE tokenizer to `directory`.

    Shaped like sshleifer/distilbart-cnn-12-6 where it matters: 1,024 learned positions,
    <s>=0 <pad>=1 </s>=2 <unk>=3, and the same generation settings (4 beams, length
    penalty 2.0, 56 to 142 tokens, no repeated trigrams), kept at the top level of
    config.json as the published model does.
    """
    import tempfile

    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        ENGLISH_TRAINING_TEXT.splitlines(),
        vocab_size=600,
        min_frequency=1,
        show_progress=False,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
    )
    with tempfile.TemporaryDirectory() as scratch:
        vocab_file, merges_file = bpe.save_model(scratch)
        tokenizer = BartTokenizer(vocab=vocab_file, merges=merges_file, model_max_length=1024)
        tokenizer.save_pretrained(directory)
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=8,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=16,
        decoder_ffn_dim=16,
        max_position_embeddings=1024,
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config).eval()
    model.save_pretrained(directory)
    # Published BART summarizers carry their generation settings in config.json.
    (directory / "generation_config.json").unlink(missing_ok=True)
    config_path = directory / "config.json"
    saved = json.loads(config_path.read_text(encoding="utf-8"))
    # Keep a random model off byte tokens that decode to control characters or to halves
    # of a UTF-8 character.
    unprintable = [
        index
        for index in range(len(tokenizer))
        if not tokenizer.decode([index]).isprintable() or "\ufffd" in tokenizer.decode([index])
    ]
    saved.update(
        suppress_tokens=unprintable,
        num_beams=4,
        length_penalty=2.0,
        min_length=56,
        max_length=142,
        no_repeat_ngram_size=3,
        early_stopping=True,
    )
    config_path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a tiny random-weight model directory.")
    parser.add_argument("kind", choices=["marian", "bart"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    builders = {"marian": build_tiny_marian, "bart": build_tiny_bart}
    path = builders[args.kind](args.directory)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
