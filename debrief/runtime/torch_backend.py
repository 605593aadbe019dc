"""The torch backend: a transformers model in torch, fp32 or dynamically quantised int8."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from debrief.errors import BackendError
from debrief.runtime.engine import Engine, layered_generation_config


def quantize_int8(model: Any) -> Any:
    """`model` with its Linear layers dynamically quantised to int8 (torch, CPU only).

    Weights are stored as int8 and activations quantised on the fly per batch; layer
    norms, embeddings and attention arithmetic stay in fp32.
    """
    import torch

    if model.device.type != "cpu":
        raise BackendError(
            "int8 with the torch backend runs on the CPU only; use --device cpu, or "
            "--backend ctranslate2 for int8 on a GPU"
        )
    # In place, so each fp32 weight is freed as its int8 copy is made: a copy of the
    # whole model would hold both at once (3.2 GB instead of 1.9 for distilbart).
    with warnings.catch_warnings():
        # torch marks its quantized tensors deprecated; the pinned torch has them, and a
        # user can act on nothing in that warning.
        warnings.filterwarnings("ignore", message=r".*quantize_per_tensor.*deprecated")
        return torch.ao.quantization.quantize_dynamic(
            model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
        )


@dataclass
class TorchEngine(Engine):
    """A transformers model in torch, fp32 or dynamically quantised int8."""

    model: Any = None
    backend = "torch"

    @property
    def device(self) -> Any:
        return self.model.device

    def _padded(self, input_ids: Sequence[Sequence[int]]) -> dict[str, Any]:
        import torch

        longest = max(len(ids) for ids in input_ids)
        pad = self.tokenizer.pad_token_id
        left = self.tokenizer.padding_side == "left"
        rows, masks = [], []
        for ids in input_ids:
            padding = longest - len(ids)
            rows.append([pad] * padding + list(ids) if left else list(ids) + [pad] * padding)
            ones, zeros = [1] * len(ids), [0] * padding
            masks.append(zeros + ones if left else ones + zeros)
        return {
            "input_ids": torch.tensor(rows, device=self.model.device),
            "attention_mask": torch.tensor(masks, device=self.model.device),
        }

    def generate(self, input_ids: Sequence[Sequence[int]], generation_config: Any) -> list[str]:
        import torch

        if not input_ids:
            return []
        with torch.inference_mode():
            output = self.model.generate(
                **self._padded(input_ids), generation_config=generation_config
            )
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)

    def generate_alternatives(
        self, input_ids: Sequence[Sequence[int]], generation_config: Any, count: int
    ) -> list[list[str]]:
        beams = max(generation_config.num_beams or 1, count)
        config = layered_generation_config(
            generation_config, {"num_beams": beams, "num_return_sequences": count}
        )
        texts = self.generate(input_ids, config)
        return [texts[row * count : (row + 1) * count] for row in range(len(input_ids))]
