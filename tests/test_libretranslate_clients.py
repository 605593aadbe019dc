"""Real LibreTranslate clients, installed from PyPI, against debrief's server on
127.0.0.1: every call each makes gets a usable answer."""

from __future__ import annotations

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
