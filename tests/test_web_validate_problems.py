"""The validation page as compliance checkers use it (Flask test client): the problems table with file and
line, focus links into the upload, a parse error that keeps the input and marks the line, pasted JSON-LD,
histories kept apart by scope with readable times, and entity pages that show saved findings as sentences."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.web import create_app

REPO = Path(__file__).resolve().parents[1]


def test_upload_report_has_a_problems_table_with_file_line_and_links_into_the_upload(client) -> None:
    data = (REPO / "data/examples/ds-1-verstoss.ttl").read_bytes()
    resp = client.post("/validate", data={"scope": "input", "file": (io.BytesIO(data), "ds-1-verstoss.ttl")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="problems-table"' in html and "Typ:" not in html
    assert re.search(r"<code>ds-1-verstoss\.ttl:\d+</code>", html)
    row = html.split('id="problems-table"', 1)[1].split("</tr>", 2)[1]
    assert "DS-1" in row and 'href="#u1"' in row
    entity = html.split('id="u1"', 1)[1].split("</details>", 1)[0]
    assert "rdf:type" in entity or "a" in entity
    assert 'class="citation"' in html and 'href="/id/norm/' in html  # the norm's page in the graph


def test_store_report_names_the_source_file_and_line_of_each_focus(client) -> None:
    resp = client.post("/validate", data={"scope": "regime", "regime": "DS"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    cells = re.findall(r"<code>((?:data|ontology)/[^<:]+):(\d+)</code>", html)
    assert cells, "no finding names its file"
    rel, line = cells[0]
    assert (REPO / rel).is_file() and int(line) <= len((REPO / rel).read_text().splitlines())


def test_parse_error_keeps_the_input_and_marks_the_line(client) -> None:
    text = "@prefix x: <urn:x#> .\nx:a x:b x:c .\nx:a x:b \"offen .\n"
    resp = client.post("/validate", data={"scope": "input", "text": text})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "x:a x:b x:c ." in html.split('id="text"', 1)[1].split("</textarea>", 1)[0]
    line = re.search(r'data-error-line="(\d+)"', html)
    assert line and int(line.group(1)) >= 3 and 'class="bad-line"' in html


def test_pasted_json_ld_is_read_as_json_ld(client) -> None:
    text = '{"@id": "urn:x:a", "http://www.w3.org/2000/01/rdf-schema#label": "a"}'
    resp = client.post("/validate", data={"scope": "input", "text": text})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert "eingabe.jsonld" in resp.get_data(as_text=True)


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory):
    from kooperationsgraph.store.build import build

    settings = Settings(root=REPO, store_path=tmp_path_factory.mktemp("wstore") / "store").with_(write_token="s3cret")
    build(settings, reason=False)
    return create_app(settings, {"TESTING": True}).test_client()


def test_saved_reports_keep_scopes_apart_and_entity_pages_show_sentences(writable) -> None:
    first = writable.post("/validate", data={"scope": "regime", "regime": "DS", "save": "1", "token": "s3cret"})
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and 'id="save-notice"' in html and "Regelwerk: DS" in html
    focus = re.search(r'<td data-sort="[^"]*"><a href="(/id/[^"#]+)"', html).group(1)
    other = writable.post("/validate", data={"scope": "land", "land": "05", "save": "1", "token": "s3cret"})
    assert "Land: 05" in other.get_data(as_text=True)
    assert "Es sind noch keine" in other.get_data(as_text=True)  # no earlier report of this scope
    again = writable.post("/validate", data={"scope": "regime", "regime": "DS", "save": "1", "token": "s3cret"})
    diff = again.get_data(as_text=True).split('id="diff"', 1)[1].split("</section>", 1)[0]
    assert "neu 0" in diff and re.search(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d UTC", diff)
    hist = writable.get("/validate/history").get_data(as_text=True)
    assert "Land: 05" in hist and "Regelwerk: DS" in hist and re.search(r"<time datetime=", hist)
    page = writable.get(focus).get_data(as_text=True)
    assert "sh:value" not in page and "sh:focusNode" not in page and "von 2 gezeigt" not in page
    assert 'class="finding' in page
