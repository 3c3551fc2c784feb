"""The query page's JSON helpers through the Flask test client: labels for result IRIs (page language, capped)
and completions of project names (ontology terms and entities)."""

from __future__ import annotations

KG = "https://w3id.org/kooperationsgraph/ontology#"
TRIANEL = "https://w3id.org/kooperationsgraph/id/kooperation/trianel"


def test_labels_for_result_iris_in_the_page_language(client) -> None:
    data = client.post("/query/labels.json", data={"iri": [TRIANEL, KG + "Kooperation", "urn:x:unknown"]}).get_json()
    assert data["labels"][KG + "Kooperation"] == "Kooperation" and "Trianel" in data["labels"][TRIANEL]
    assert "urn:x:unknown" not in data["labels"] and data["lang"] == "de"
    client.get("/lang/en?next=/")
    en = client.post("/query/labels.json", data={"iri": [KG + "Kooperation"]}).get_json()
    assert en["lang"] == "en" and en["labels"][KG + "Kooperation"] == "Cooperation"


def test_labels_refuse_more_than_the_cap(client) -> None:
    resp = client.post("/query/labels.json", data={"iri": [f"urn:x:{i}" for i in range(501)]})
    assert resp.status_code == 400 and resp.get_json()["error"] == "too-many-iris"


def test_completion_offers_classes_and_entities_by_iri_start(client) -> None:
    got = client.get("/query/complete.json", query_string={"prefix": KG + "Koop"}).get_json()["completions"]
    assert got[0]["iri"] == KG + "Kooperation" and got[0]["label"] == "Kooperation"
    ents = client.get("/query/complete.json",
                      query_string={"prefix": "https://w3id.org/kooperationsgraph/id/kooperation/tri"}).get_json()
    assert TRIANEL in [c["iri"] for c in ents["completions"]]
    assert client.get("/query/complete.json", query_string={"prefix": "http://example.org/"}).get_json() == {
        "completions": []}


def test_map_shapes_are_the_sixteen_laender_with_attribution(client) -> None:
    data = client.get("/query/map.json").get_json()
    assert sorted(r["ars"] for r in data["regions"]) == [f"{i:02d}" for i in range(1, 17)]
    assert all(r["d"].startswith("M") for r in data["regions"]) and "GeoBasis-DE / BKG" in data["attribution"]
    x = (13.4 * data["k"] - data["x0"]) * data["scale"]  # Berlin lies in the east, inside the frame
    assert data["width"] * 0.6 < x < data["width"]


def test_catalogue_query_per_land_prefers_the_map(client) -> None:
    assert client.get("/query/render/kooperationen-pro-land").get_json()["view"] == "map"
