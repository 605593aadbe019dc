"""Real LibreTranslate clients against debrief's server on 127.0.0.1: those that install
from the registries run themselves (libretranslatepy, deep-translator, libretranslate-aio
from PyPI, the npm client on Node), the integrations (Mastodon, Weblate, LibreTranslate's
own front end) are replayed with the requests their source sends; every call each makes
gets a usable answer."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FakeSummarizer, FakeTranslator
from support.live_server import serving

from debrief.server.app import create_app
from debrief.server.service import DebriefService

GERMAN = "Die Regierung in Berlin hat am Sonntag über den Haushalt beraten und nichts beschlossen."


@pytest.fixture(scope="module")
def server():
    service = DebriefService(FakeTranslator(), FakeSummarizer())
    with serving(create_app(service, api_key="k")) as url:
        yield url


def test_libretranslatepy_translates_detects_and_lists_languages(server):
    from libretranslatepy import LibreTranslateAPI

    api = LibreTranslateAPI(server, api_key="k")
    assert api.translate("Ein Satz.", "de", "en", timeout=30) == "EN[Ein Satz.]"
    assert api.translate("Ein Satz.", "auto", "en", timeout=30) == "EN[Ein Satz.]"
    [best] = api.detect(GERMAN, timeout=30)
    assert best["language"] == "de" and best["confidence"] > 50
    codes = {language["code"] for language in api.languages(timeout=30)}
    assert {"de", "en"} <= codes


def test_libretranslatepy_with_a_wrong_key_gets_a_403(server):
    from urllib.error import HTTPError

    from libretranslatepy import LibreTranslateAPI

    with pytest.raises(HTTPError) as refused:
        LibreTranslateAPI(server, api_key="wrong").translate("Ein Satz.", "de", "en", timeout=30)
    assert refused.value.code == 403


def test_deep_translator_which_sends_only_the_query_string(server):
    from deep_translator import LibreTranslator

    translator = LibreTranslator(source="de", target="en", api_key="k", custom_url=server + "/")
    assert translator.translate("Ein Satz.") == "EN[Ein Satz.]"
    assert translator.translate_batch(["Eins.", "Zwei."]) == ["EN[Eins.]", "EN[Zwei.]"]


@pytest.fixture(scope="module")
def open_server():
    """A server without a key, as most self-hosted LibreTranslate servers run."""
    service = DebriefService(FakeTranslator(), FakeSummarizer())
    with serving(create_app(service)) as url:
        yield url


def test_libretranslate_aio_makes_every_call_of_its_client(server):
    from libretranslate_aio import LibreTranslate
    from libretranslate_aio.exceptions import ForbiddenError

    with LibreTranslate(server, api_key="k", timeout=30) as api:
        assert api.health() is True
        settings = api.frontend_settings()
        assert settings.key_required and settings.language.source.code == "de"
        assert ".docx" in settings.supported_files_format
        languages = {language.code: language.targets for language in api.languages()}
        assert languages["de"] == ["en"]
        assert api.translate("Ein Satz.", "de", "en").translated_text == "EN[Ein Satz.]"
        both = api.translate([GERMAN, GERMAN], "auto", "en")
        assert both.translated_text == [f"EN[{GERMAN}]"] * 2
        assert [found.language for found in both.detected_language] == ["de", "de"]
        assert api.translate("Ein Satz.", "de", "en", alternatives=2).alternatives is not None
        assert api.detect(GERMAN)[0].language == "de"
        done = api.translate_file(io.BytesIO(b"Erster Absatz."), "de", "en")
        assert done.translated_file_url.startswith(server)
        with pytest.raises(ForbiddenError, match="Suggestions are disabled"):
            api.suggest("Ein Satz.", "A sentence.", "de", "en")
    with LibreTranslate(server, api_key="wrong", timeout=30) as api, pytest.raises(ForbiddenError):
        api.translate("Ein Satz.", "de", "en")


NPM_CLIENT = Path(__file__).parents[1] / ".venv" / "npm" / "package" / "dist" / "translate.js"


def _npm_translate(options: dict) -> object:
    if shutil.which("node") is None or not NPM_CLIENT.exists():
        pytest.skip("Node or the npm client is missing (make install fetches the client)")
    script = (
        f"require({json.dumps(str(NPM_CLIENT))}).translate({json.dumps(options)})"
        ".then(t => console.log(JSON.stringify(t)), e => { console.error(e.message); process.exit(3); })"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_npm_client_translates_text_and_html(open_server, server):
    base = {"source": "de", "target": "en", "apiurl": open_server}
    assert _npm_translate({**base, "query": "Ein Satz."}) == "EN[Ein Satz.]"
    assert _npm_translate({**base, "query": GERMAN, "source": "auto"}) == f"EN[{GERMAN}]"
    html = "<p>Ein <b>Satz</b>.</p>"
    assert _npm_translate({**base, "query": html, "format": "html"}) == (
        "<p>EN[Ein] <b>EN[Satz]</b>EN[.]</p>"  # the fake's EN[Satz] is not in EN[Ein Satz.]
    )
    # It sends its key as apiKey, which debrief reads too.
    keyed = {"source": "de", "target": "en", "apiurl": server, "apiKey": "k"}
    assert _npm_translate({**keyed, "query": "Ein Satz."}) == "EN[Ein Satz.]"


# Mastodon's TranslateStatusService: a status's HTML content (links and custom emoji
# marked translate="no", hashtags and mentions as nested links), its content warning,
# poll options and media descriptions, HTML-escaped, in one request.
MASTODON_CONTENT = (
    '<p>Heute in <a href="https://example.social/tags/Berlin" class="mention hashtag" '
    'rel="tag">#<span>Berlin</span></a>: der Haushalt '
    '<span translate="no">:blobcat:</span> <a href="https://example.org/haushalt" '
    'target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">'
    'https://</span><span class="">example.org/haushalt</span><span class="invisible">'
    '</span></a></p><p>Gru&szlig; an <span class="h-card" translate="no"><a '
    'href="https://example.social/@anna" class="u-url mention">@<span>anna</span></a>'
    "</span></p>"
)


def _mastodon_languages(base: str, client) -> dict:
    # languages[code] = targets without code, as Mastodon builds its table
    listed = client.get(f"{base}/languages", headers={"Content-Type": "application/json"})
    return {
        lang["code"]: [t for t in lang["targets"] if t != lang["code"]] for lang in listed.json()
    }


@pytest.mark.parametrize("source", ["de", "auto"])
def test_mastodon_translates_a_status_with_its_protected_parts(open_server, source):
    import httpx

    with httpx.Client(timeout=30) as http:
        assert "en" in _mastodon_languages(open_server, http)["de"]
        texts = [
            MASTODON_CONTENT,
            "Achtung: Politik",
            "Ja, sofort",
            "Ein Foto vom Rathaus &amp; Markt",
        ]
        answer = http.post(
            f"{open_server}/translate",
            content=json.dumps(
                {"q": texts, "source": source, "target": "en", "format": "html", "api_key": None}
            ),
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    content, warning, option, description = data["translatedText"]
    for kept in (
        '<span translate="no">:blobcat:</span>',
        'translate="no"><span class="invisible">https://</span>',
        "#<span>Berlin</span></a>",
        "@<span>anna</span></a></span>",
    ):
        assert kept in content
    assert content.startswith("<p>EN[Heute in <a href=") and "<p>EN[Gruß an <span" in content
    assert warning == "EN[Achtung: Politik]" and option == "EN[Ja, sofort]"
    assert description == "EN[Ein Foto vom Rathaus &amp; Markt]"
    if source == "auto":  # Mastodon reads detectedLanguage[index].language
        detected = data["detectedLanguage"]
        assert len(detected) == 4 and detected[0]["language"] == "de"  # the others are short


def test_weblate_lists_both_codes_and_translates_a_batch(open_server):
    import httpx

    with httpx.Client(timeout=30) as http:
        codes = [language["code"] for language in http.get(f"{open_server}/languages").json()]
        assert "de" in codes and "en" in codes  # Weblate checks source and target there
        batch = http.post(
            f"{open_server}/translate",
            json={"api_key": "", "q": ["Hallo %s!", "Speichern"], "source": "de", "target": "en"},
        )
        assert batch.json()["translatedText"] == ["EN[Hallo %s!]", "EN[Speichern]"]
        one = http.post(  # LTEngine's form of it: one text, not a list
            f"{open_server}/translate",
            json={"api_key": "", "q": "Speichern", "source": "de", "target": "en"},
        )
        assert one.json()["translatedText"] == "EN[Speichern]"
        refused = http.post(
            f"{open_server}/translate", json={"q": "x", "source": "de", "target": "fr"}
        )
        assert refused.status_code == 400 and "error" in refused.json()  # Weblate shows it


def test_libretranslates_front_end_gets_what_it_reads(server):
    """The requests of LibreTranslate's web front end (static/js/app.js), as it sends them:
    settings and languages on load, FormData for /translate, /suggest and /translate_file."""
    import httpx

    with httpx.Client(timeout=30) as http:
        settings = http.get(f"{server}/frontend/settings").json()
        for key in ("charLimit", "suggestions", "supportedFilesFormat", "filesTranslation"):
            assert key in settings
        assert settings["language"]["source"]["code"] == "de"
        assert settings["language"]["target"]["code"] == "en"
        langs = http.get(f"{server}/languages").json()
        targets = next(lang["targets"] for lang in langs if lang["code"] == "de")
        assert [next(lang for lang in langs if lang["code"] == t)["name"] for t in targets] == [
            "English"
        ]
        form = {
            "q": GERMAN,
            "source": "auto",
            "target": "en",
            "format": "text",
            "api_key": "k",
        }
        done = http.post(f"{server}/translate", files={name: (None, v) for name, v in form.items()})
        assert done.json()["translatedText"] == f"EN[{GERMAN}]"
        assert done.json()["detectedLanguage"]["language"] == "de"
        suggestion = {
            "q": "Ein Satz.",
            "s": "One sentence.",
            "source": "de",
            "target": "en",
            "api_key": "k",
        }
        refused = http.post(
            f"{server}/suggest", files={n: (None, v) for n, v in suggestion.items()}
        )
        assert refused.status_code == 403 and refused.json()["error"]
        upload = http.post(
            f"{server}/translate_file",
            files={
                "file": ("notiz.txt", b"Ein Satz."),
                "source": (None, "de"),
                "target": (None, "en"),
                "api_key": (None, "k"),
            },
        )
        link = upload.json()["translatedFileUrl"]
        assert http.get(link).text == "EN[Ein Satz.]"
