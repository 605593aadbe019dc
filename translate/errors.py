"""The errors debrief raises on purpose. The CLI turns each into one line and an exit code.

Every message says what went wrong and what to do about it.
"""

from __future__ import annotations


class DebriefError(Exception):
    """Base class of the failures a user can act on."""

    exit_code = 1


class InputError(DebriefError):
    """The input file is missing, unreadable, or holds no article."""

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
