"""The page of `debrief serve`: paste German text, give a URL or upload a file, press one
button, watch the progress, read the result in the review view, download the files.

One HTML document, no build step, nothing from the internet. Its script is allowed by
hash, it talks only to this server, and it writes what comes back as text, never as
markup; the review view runs in a sandboxed frame with its own policy.
"""

from __future__ import annotations

from html import escape

from debrief.documents import DOCUMENT_FORMATS, LAYOUT_KEEPING_SUFFIXES
from debrief.outputs.review import script_hash

_STYLE = """
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
form { display: grid; gap: .5rem; }
textarea { width: 100%; min-height: 10rem; font: inherit; padding: .5rem; }
input[type=url], input[type=password] { width: 100%; font: inherit; padding: .4rem; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
button { font: inherit; padding: .5rem 1.25rem; border-radius: .4rem; border: 0;
  background: #1a5fb4; color: #fff; cursor: pointer; }
button:disabled { background: #888; }
#status { color: #444; }
#error { color: #b3261e; }
progress { width: 100%; }
#result[hidden], #progress-box[hidden] { display: none; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .25rem; }
#digest-error { color: #b3261e; white-space: pre-line; }
iframe { width: 100%; height: 80vh; border: 1px solid #ddd; border-radius: .4rem; }
.downloads a { margin-right: 1rem; }
.hint { color: #555; font-size: .875rem; margin: 0; }
"""

_SCRIPT = """
(function () {
  var form = document.getElementById("job");
  var button = document.getElementById("go");
  var status = document.getElementById("status");
  var error = document.getElementById("error");
  var bar = document.getElementById("bar");
  var box = document.getElementById("progress-box");
  var result = document.getElementById("result");
  var frame = document.getElementById("review");
  var downloads = document.getElementById("downloads");

  function fail(message) {
    error.textContent = message;
    status.textContent = "";
    button.disabled = false;
    box.hidden = true;
  }

  function poll(id, key) {
    fetch("/api/jobs/" + encodeURIComponent(id), {headers: key ? {"X-API-Key": key} : {}})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.error && job.status !== "failed") { fail(job.error); return; }
        var p = job.progress || {};
        if (p.total) { bar.max = p.total; bar.value = p.done; }
        status.textContent = job.status === "queued" ? "Waiting for a free place…" :
          (p.stage ? p.stage + " " + p.done + " of " + p.total : "Starting…");
        if (job.status === "done") {
          box.hidden = true;
          status.textContent = "Done.";
          frame.src = "/api/jobs/" + encodeURIComponent(id) + "/view";
          downloads.querySelectorAll("a").forEach(function (link) {
            link.href = "/api/jobs/" + encodeURIComponent(id) + "/" + link.dataset.file;
            link.hidden = (job.files || []).indexOf(link.dataset.file) < 0;
          });
          result.hidden = false;
          button.disabled = false;
        } else if (job.status === "failed") {
          fail(job.error || "The job failed.");
        } else {
          setTimeout(function () { poll(id, key); }, 400);
        }
      })
      .catch(function () { fail("The server did not answer; is it still running?"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "";
    result.hidden = true;
    var data = new FormData(form);
    if (!(data.get("glossary") || {}).size) { data.delete("glossary"); }  // none chosen
    var key = data.get("api_key") || "";
    if (!data.get("text").trim() && !data.get("url").trim() && !(data.get("file") || {}).size) {
      fail("Paste German text, give a URL, or choose a file.");
      return;
    }
    button.disabled = true;
    box.hidden = false;
    bar.removeAttribute("value");
    status.textContent = "Sending…";
    fetch("/api/jobs", {method: "POST", body: data})
      .then(function (response) {
        return response.json().then(function (body) { return [response.status, body]; });
      })
      .then(function (answer) {
        if (answer[0] !== 202) { fail(answer[1].error || "The server refused the job."); return; }
        poll(answer[1].id, key);
      })
      .catch(function () { fail("The server did not answer; is it still running?"); });
  });

  var digestForm = document.getElementById("digest-form");
  if (!digestForm) { return; }
  var digestButton = document.getElementById("digest-go");
  var digestStatus = document.getElementById("digest-status");
  var digestError = document.getElementById("digest-error");
  var digestView = document.getElementById("digest-view");

  function digestFail(message) {
    digestError.textContent = message;
    digestStatus.textContent = "";
    digestButton.disabled = false;
  }

  function digestPoll(id, key) {
    fetch("/api/jobs/" + encodeURIComponent(id), {headers: key ? {"X-API-Key": key} : {}})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        var d = job.digest || {};
        var p = job.progress || {};
        var last = (d.items || [])[(d.items || []).length - 1];
        if (job.status === "done") {
          digestStatus.textContent = d.new + " new, " + d.done + " done, " + d.skipped +
            " skipped, " + d.failed + " failed.";
          if ((d.errors || []).length) { digestError.textContent = d.errors.join("\\n"); }
          digestView.src = "/digest/?" + Date.now();
          digestButton.disabled = false;
        } else if (job.status === "failed") {
          digestFail(job.error || "The digest failed.");
        } else {
          digestStatus.textContent = job.status === "queued" ? "Waiting for a free place…" :
            p.stage === "stories" ? "Story " + p.done + " of " + p.total + " done" +
              (last && last.headline ? ": " + last.headline : "") :
            p.total ? "Translating " + p.done + " of " + p.total + " pieces…" :
            "Reading the feeds…";
          setTimeout(function () { digestPoll(id, key); }, 500);
        }
      })
      .catch(function () { digestFail("The server did not answer; is it still running?"); });
  }

  digestForm.addEventListener("submit", function (event) {
    event.preventDefault();
    digestError.textContent = "";
    var keyField = document.querySelector("input[name=api_key]");
    var key = keyField ? keyField.value : "";
    var body = {feeds: document.getElementById("feeds").value.split(/\\s+/).filter(Boolean)};
    var since = document.getElementById("since").value.trim();
    if (since) { body.since = since; }
    digestButton.disabled = true;
    digestStatus.textContent = "Sending…";
    var headers = {"Content-Type": "application/json"};
    if (key) { headers["X-API-Key"] = key; }
    fetch("/api/digest", {method: "POST", headers: headers, body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (answer) { return [response.status, answer]; });
      })
      .then(function (answer) {
        if (answer[0] !== 202) {
          digestFail(answer[1].error || "The server refused the digest.");
          return;
        }
        digestPoll(answer[1].id, key);
      })
      .catch(function () { digestFail("The server did not answer; is it still running?"); });
  });
})();
"""


GLOSSARY_TYPES = ".tsv,.csv,.txt,text/tab-separated-values,text/csv,text/plain"

CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src '{script_hash(_SCRIPT)}'; style-src 'unsafe-inline'; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'"
)


def _digest_section(feeds: int | None) -> str:
    """The digest's part of the page, for a server that keeps one (`feeds`: how many
    feeds it reads when none are given)."""
    if feeds is None:
        return ""
    default = (
        f"empty: the server's {feeds} feed{'s' if feeds != 1 else ''}"
        if feeds
        else "the server has no feeds of its own"
    )
    return f"""<section id="digest-box">
<h2>Digest</h2>
<p class="hint">The new stories of news feeds, each translated and briefed once, on one
page. A rerun does only what is new.</p>
<form id="digest-form">
<label for="feeds">Feeds or front pages, one URL a line ({default})</label>
<textarea id="feeds" name="feeds" rows="3" placeholder="https://…/rss.xml"></textarea>
<div class="row"><label>only items newer than
<input id="since" name="since" size="6" placeholder="24h"></label>
<button id="digest-go" type="submit">Check the feeds</button>
<span id="digest-status" role="status"></span></div>
<p id="digest-error" role="alert"></p>
</form>
<p class="hint"><a href="/digest/" target="_blank" rel="noopener">Open the digest in a tab of
its own</a></p>
<iframe id="digest-view" src="/digest/" title="Digest"
 sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>
</section>"""


def render_page(
    max_chars: int,
    needs_key: bool = False,
    digest_feeds: int | None = None,
    glossary_terms: int = 0,
) -> str:
    """The page, for a server that takes up to `max_chars` characters a request, with
    the digest's part when the server keeps one (`digest_feeds`, see _digest_section);
    `glossary_terms`: how many terms the server's own glossary holds."""
    server_terms = (
        f"; over the server's {glossary_terms:,} term{'s' if glossary_terms != 1 else ''}"
        if glossary_terms
        else ""
    )
    key_field = (
        '<label>API key <input type="password" name="api_key" autocomplete="off"></label>'
        if needs_key
        else ""
    )
    accepted = ",".join([".txt", ".html", ".htm", *DOCUMENT_FORMATS, "text/plain", "text/html"])
    # One link for each kind of document that comes back in English, shown when the
    # job was made from one of that kind.
    document_links = "\n".join(
        f'<a data-file="result.en{suffix}" id="{suffix[1:]}-link" download hidden>'
        f"{DOCUMENT_FORMATS[suffix].label}</a>"
        for suffix in LAYOUT_KEEPING_SUFFIXES
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(CONTENT_SECURITY_POLICY, quote=False)}">
<title>debrief</title><style>{_STYLE}</style></head>
<body>
<h1>debrief</h1>
<p class="hint">German news in, English beside it and a checked brief on top. Runs on this
machine; nothing is sent anywhere else. Up to {max_chars:,} characters.</p>
<form id="job">
<label for="text">German text</label>
<textarea id="text" name="text" lang="de" placeholder="Paste a German article here"></textarea>
<div class="row">
<label>or a URL <input type="url" name="url" placeholder="https://…"></label>
<label>or a file
<input type="file" name="file" accept="{accepted}"></label>
{key_field}
</div>
<div class="row"><label>glossary (optional)
<input type="file" name="glossary" accept="{GLOSSARY_TYPES}"></label>
<span class="hint">a TSV or CSV file, German and English a line: the English is kept in
the translation and checked{server_terms}</span></div>
<div class="row"><button id="go" type="submit">Translate and brief</button>
<span id="status" role="status"></span></div>
<p id="error" role="alert"></p>
</form>
<div id="progress-box" hidden><progress id="bar"></progress></div>
<section id="result" hidden>
<p class="downloads" id="downloads">Download:
<a data-file="result.en.txt" download>English text</a>
<a data-file="result.md" download>Markdown</a>
<a data-file="result.json" download>JSON record</a>
<a data-file="result.html" download>review page</a>
{document_links}</p>
<iframe id="review" title="Review" sandbox="allow-scripts"></iframe>
</section>
{_digest_section(digest_feeds)}
<script>{_SCRIPT}</script>
</body></html>
"""
