"""What LibreTranslate's API answers besides translations, as its clients read it: the
languages, language detection, the settings its web front end loads first, and a
disabled /suggest. Pure functions; the routes are debrief/server/app.py's.

LibreTranslate lists every language it knows with the codes it translates each into;
its clients (the npm `libretranslate` package, Weblate) look up both the source and the
target code there before they translate, so English is listed too, translated into
nothing: debrief translates German into English only.
"""

from __future__ import annotations

from typing import Any

from translate.language import guess_language

LANGUAGES: list[dict[str, Any]] = [
    {"code": "de", "name": "German", "targets": ["en"]},
    {"code": "en", "name": "English", "targets": []},
]
SUGGESTIONS_DISABLED = "Suggestions are disabled on this server."


def detections(text: str) -> list[dict[str, Any]]:
    """LibreTranslate's /detect answer for one text: candidates, best first, with a
    confidence from 0 to 100 (low for a few words, as the detector says); German with
    confidence 0 for a text without letters."""
    guess = guess_language(text, min_characters=1)
    if guess is None:
        return [{"language": "de", "confidence": 0.0}]
    return [{"language": guess.iso_code, "confidence": round(100 * guess.confidence, 1)}]


def frontend_settings(
    max_chars: int, key_required: bool, file_suffixes: tuple[str, ...] = ()
) -> dict[str, Any]:
    """What LibreTranslate's front end asks /frontend/settings for before it shows."""
    return {
        "charLimit": max_chars,
        "frontendTimeout": 500,
        "apiKeys": key_required,
        "keyRequired": key_required,
        "suggestions": False,
        "filesTranslation": bool(file_suffixes),
        "supportedFilesFormat": list(file_suffixes),
        "language": {
            "source": {"code": "de", "name": "German"},
            "target": {"code": "en", "name": "English"},
        },
    }
