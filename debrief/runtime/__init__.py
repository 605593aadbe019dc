"""The base both stages run on: finding models and running them, nothing of either stage.

    debrief.runtime.models               finding a model (directory, HF cache, Hub), its
                                         identity and saved settings; the cache directory
    debrief.runtime.settings             Runtime(backend, precision, device, threads); threads,
                                         the backend "auto" takes, device resolution
    debrief.runtime.engine               the Engine interface, ModelFamily, EngineModel
    debrief.runtime.torch_backend        torch, fp32 or int8
    debrief.runtime.ctranslate2_backend  CTranslate2: conversion cache, options, engine
    debrief.runtime.loading              load_engine(model, family, runtime)
    debrief.runtime.cutting              cutting text into sentences' blocks and packing
                                         pieces under a limit, for both stages

Only debrief.errors is below it. torch, transformers and ctranslate2 load only when a
model does.
"""

from debrief.runtime.settings import Runtime

__all__ = ["Runtime"]
