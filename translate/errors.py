"""The error hierarchy, shared with summarize/ (see summarize/errors.py)."""

from summarize.errors import (
    DebriefError,
    DeviceError,
    InputError,
    ModelLoadError,
    ModelNotFoundError,
)

__all__ = ["DebriefError", "DeviceError", "InputError", "ModelLoadError", "ModelNotFoundError"]
