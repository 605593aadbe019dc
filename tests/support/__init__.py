"""What the tests share besides conftest: tiny models built on the fly, test pages and
their expected text, segmenter cases, parallel news sentences, a live server, a browser,
the module graph. Scripts here run as `python tests/support/NAME.py`."""
