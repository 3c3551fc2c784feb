"""/beitragen: template download, upload with the per-cell problems table (a dry run), submission of a clean
workbook as a change set only with a contribute token (read-only by default). Fictional entries only."""

from __future__ import annotations

import io
from dataclasses import replace

from openpyxl import load_workbook
from test_sheets import column_letter, example_rows, fill

ASK_EXAMPLE = "ASK { <https://w3id.org/kooperationsgraph/example/auftrag-notstrom> ?p ?o }"


def _in_store(client) -> bool:
    return client.get("/sparql", query_string={"query": ASK_EXAMPLE},
                      headers={"Accept": "application/sparql-results+json"}).get_json()["boolean"]


def _upload(client, data: bytes, **form: str):
    return client.post("/beitragen", data={"file": (io.BytesIO(data), "beitrag.xlsx"), **form},
                       content_type="multipart/form-data")


def test_page_offers_the_template_in_both_languages(client) -> None:
    page = client.get("/beitragen")
    assert page.status_code == 200 and "Beitragen ohne Turtle" in page.get_data(as_text=True)
    assert "Contribute without Turtle" in client.get("/beitragen?lang=en").get_data(as_text=True)
    xlsx = client.get("/beitragen/vorlage.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    assert "Vereinbarungen" in load_workbook(io.BytesIO(xlsx.data)).sheetnames
    assert client.get("/beitragen/vorlage.zip").data[:2] == b"PK"


def test_upload_shows_problems_at_their_cells_and_writes_nothing(client, settings) -> None:
    template = client.get("/beitragen/vorlage.xlsx").data
    before = _in_store(client)
    resp = _upload(client, fill(template, example_rows()), action="check")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    date_col = column_letter(template, "Vereinbarungen", "kg:abschlussdatum")
    assert f"Vereinbarungen!{date_col}4" in html and "31.02.2026" in html and 'id="problems"' in html
    en = client.post("/beitragen?lang=en", data={"file": (io.BytesIO(fill(template, example_rows())), "b.xlsx")},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "not a valid date" in en
    assert before is False  # a dry run never writes: the example is still not in the store
    assert _in_store(client) is False


def test_submitting_needs_a_contribute_token(client, settings) -> None:
    template = client.get("/beitragen/vorlage.xlsx").data
    clean = fill(template, example_rows(date="02.03.2026", procedure="Offenes Verfahren"))
    resp = _upload(client, clean, action="submit")
    assert resp.status_code == 403  # the read-only default


def test_a_clean_workbook_is_submitted_as_a_change_set(settings, tmp_path) -> None:
    import shutil

    from kooperationsgraph.web import create_app

    store = tmp_path / "store"
    shutil.copytree(settings.store_path, store)
    app = create_app(replace(settings, store_path=store, contribute_tokens=("beitrag-token",)), {"TESTING": True})
    client = app.test_client()
    template = client.get("/beitragen/vorlage.xlsx").data
    faulty = _upload(client, fill(template, example_rows()), action="submit", token="beitrag-token")
    assert faulty.status_code == 422 and "Nicht eingereicht" in faulty.get_data(as_text=True)
    clean = fill(template, example_rows(date="02.03.2026", procedure="Offenes Verfahren"))
    assert _upload(client, clean, action="submit", token="falsch").status_code == 403
    ok = _upload(client, clean, action="submit", token="beitrag-token", reason="Beispiel (fiktiv)")
    html = ok.get_data(as_text=True)
    assert ok.status_code == 200, html
    assert "wartet auf Prüfung" in html
