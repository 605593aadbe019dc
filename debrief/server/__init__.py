"""`debrief serve`: the review page as a local web app, a LibreTranslate-compatible API
and debrief's own API, over the same job code as the CLI (debrief.job).

    from debrief.server import create_app, DebriefService   # needs the `web` extra

FastAPI and uvicorn are the `web` extra; without it, `debrief serve` says how to install
it. Nothing in this package is imported by the CLI until `serve` runs.
"""
