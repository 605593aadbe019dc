"""debrief: German news in, an English translation and a checked brief out, locally.

Three floors, each importing only those below it (tests/test_architecture.py checks it):

    the base     debrief.errors (one error hierarchy) and debrief.runtime (finding models,
                 Runtime, the torch and CTranslate2 backends, text cutting)
    the stages   translate (German -> English) and summarize (English -> brief), each on
                 the base alone, never on each other
    the shell    the rest of debrief: options, plan, tasks and job (THE job of `debrief
                 run`), brief (the brief and its checks), outputs (paths, files, formats,
                 review page), inputs, fetch and archives, cli, server, ray_engine

This module holds only the version, so that anything can record it cheaply.
"""

from importlib import metadata

try:
    __version__ = metadata.version("debrief")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
