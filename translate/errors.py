"""The error hierarchy, shared with summarize/ (see summarize/errors.py)."""

from summarize.errors import (
    BackendError,
    DebriefError,
    DeviceError,
    InputError,
    ModelLoadError,
    ModelNotFoundError,
)

__all__ = [
    "BackendError",
    "DebriefError",
    "DeviceError",
    "InputError",
    "ModelLoadError",
    "ModelNotFoundError",
]
