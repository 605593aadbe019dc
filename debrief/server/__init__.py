"""`debrief serve`: the review page as a local web app, a LibreTranslate-compatible API
and debrief's own API, over the same steps as the job (translate_articles,
brief_translation).

    from debrief.server.service import DebriefService   # the models, loaded once; no HTTP
    from debrief.server.app import create_app           # the FastAPI app (the `web` extra)
    from debrief.server.serve import load_service, serve

    app = create_app(load_service("Helsinki-NLP/opus-mt-de-en"))

FastAPI and uvicorn are the `web` extra; without it, `debrief serve` says how to install
it. The CLI imports only service.py (for its limits) and serve.py before `serve` runs;
neither imports a web framework, so `debrief --help` stays fast.
"""
