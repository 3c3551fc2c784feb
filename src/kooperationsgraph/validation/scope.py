"""What a validation run covers when asked for less than everything: one focus node given as IRI, prefixed
name or ARS, or the nodes inside one Land."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import KooperationsgraphError
from ..namespaces import ID, PREFIXES
from ..sparql.terms import bind_values, iri, is_iri


def expand_iri(text: str) -> str:
    """Full IRI from ``<…>``, a full IRI or a project prefixed name (``akteur:stawag``)."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and local and "://" not in text:
        text = PREFIXES[prefix] + local
    if ("://" in text or text.startswith("urn:")) and is_iri(text):
        return text
    raise KooperationsgraphError(f"--focus: {text!r} is neither an IRI nor a known prefixed name")


def area_iri(ars: str) -> str:
    """IRI of the administrative unit for an ARS (2 digits Land, 5 Kreis, 12 Gemeinde) or an IRI."""
    ars = ars.strip()
    kinds = {2: "land/", 5: "kreis/", 12: "gemeinde/"}
    if ars.isdigit() and len(ars) in kinds:
        return ID + kinds[len(ars)] + ars
    if ":" in ars:
        return expand_iri(ars)
    raise KooperationsgraphError(f"--land: {ars!r} is not an ARS (2, 5 or 12 digits) or IRI, e.g. --land 05")


AREA_QUERY = """
PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT DISTINCT ?x WHERE {
  { ?x kg:sitz|kg:abdeckung ?u . ?u kg:liegtIn* ?area }
  UNION { ?x kg:liegtIn* ?area }
  UNION { ?x kg:partei|kg:auftraggeber|kg:auftragnehmer|kg:regelt|kg:verantwortlicher
             |kg:gemeinsamVerantwortlicher|kg:auftragsverarbeiter ?y .
          ?y kg:sitz|kg:abdeckung ?u2 . ?u2 kg:liegtIn* ?area }
  UNION { ?x kg:kooperation|kg:mitglied ?y2 . ?y2 kg:sitz|kg:abdeckung ?u3 . ?u3 kg:liegtIn* ?area }
}"""


def nodes_in_area(store: ox.Store, area: str) -> set[str]:
    """Nodes seated in or covering the area, units inside it, and agreements/memberships of such nodes."""
    sols = store.query(bind_values(AREA_QUERY, {"area": iri(area)}), use_default_graph_as_union=True)
    return {s["x"].value for s in sols if isinstance(s["x"], ox.NamedNode)}  # type: ignore[union-attr,index]
