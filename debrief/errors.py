"""The errors debrief raises on purpose. The CLI turns each into one line and an exit code.

One hierarchy for the whole product: the base (debrief/runtime/) and the two stages
(translate/, summarize/) raise these, and every front door (the CLI, the server, the Ray
engine) maps them the same way. Each message says what went wrong and what to do. This
module imports nothing of the project: everything else may import it.
"""

from __future__ import annotations


class DebriefError(Exception):
    """Base class of the failures a user can act on."""

    exit_code = 1


class UsageError(DebriefError):
    """An option or path the user gave cannot work; found before any model loads."""

    exit_code = 2


class InputError(DebriefError):
    """The input file is missing, unreadable, or holds no text."""

    exit_code = 2


class OutputError(DebriefError):
    """An output could not be written (a full disk, a read-only folder, a closed pipe's
    encoding); what was there before is unchanged."""

    exit_code = 2


class ModelNotFoundError(DebriefError):
    """The model is neither a local directory nor in the Hugging Face cache."""

    exit_code = 2


class ModelLoadError(DebriefError):
    """The model was found but could not be loaded or run."""

    exit_code = 2


class DeviceError(DebriefError):
    """The requested device is not available."""

    exit_code = 2


class BackendError(DebriefError):
    """The chosen backend or precision is not installed or cannot run on this device."""

    exit_code = 2


class NotInstalledError(DebriefError):
    """A part of debrief that is installed apart is missing (the name check's lexicon)."""

    exit_code = 2


class RayEngineError(DebriefError):
    """`--engine ray` could not run: no Ray at the address, or a batch that failed for
    good."""

    exit_code = 1
