"""debrief: German news in, an English translation and a checked brief out, locally.

The application around the two stages (translate/, summarize/):

    debrief.errors    one error hierarchy, mapped to exit codes by every front door
    debrief.models    finding a model and its identity; the device
    debrief.engines   torch and CTranslate2 behind one interface; Runtime
    debrief.job       THE job of `debrief run`: plan and validate, translate, free,
                      summarize, check, write (run_job)
    debrief.cli       the `debrief` command, argparse over the library

This module holds only the version, so that the stages can record it without importing
the application's shell.
"""

from importlib import metadata

try:
    __version__ = metadata.version("debrief")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
