"""Remote backend: any SPARQL 1.1 server (tested with Virtuoso 7) through SPARQLWrapper. Every difference
between the embedded store and a remote server is handled here and nowhere else:

* **Dataset.** A shared server holds other people's graphs and its own system graphs (Virtuoso's default
  graph without ``FROM`` is the union of *all* graphs, including ``virtrdf:`` and DAV metadata). The app's
  dataset is therefore the set of graphs this project owns, registered in the meta graph
  (``<…/graph/meta#store> kg:storeGraph <g>``); every query gets them as ``default-graph-uri`` and
  ``named-graph-uri`` protocol parameters, so the default graph is their union exactly as in the embedded
  store, and ``GRAPH ?g`` never sees foreign graphs. A query that names its own ``FROM`` keeps it.
* **Version.** ``<…/graph/meta#store> kg:storeVersion "…"`` lives in the server; push and every write bump it
  in the same update request, and reads are cached for at most :data:`VERSION_TTL` seconds, so several app
  processes key caches and ETags by the same value.
* **Terms.** Virtuoso returns stored booleans as ``"1"^^xsd:boolean`` and keeps ``^^xsd:string``; both are
  normalised to what the embedded store returns (``true``, plain literals). Computed booleans in a SELECT
  (``BIND(isIRI(?x) AS ?b)``) come back as integers 0/1: a known Virtuoso difference that is not guessable.
* **Writes.** Virtuoso rejects blank nodes in ``INSERT DATA``; chunks that hold blank nodes are sent as
  ``INSERT {…} WHERE {}`` and every blank-node component stays inside one chunk, so blank nodes are not
  split across requests. A graph is replaced by loading it into a temporary graph and then ``MOVE`` in one
  update request (atomic on Virtuoso: the request is one transaction).
* **Credentials** (``remote_user``/``remote_password``) are sent to the update and Graph Store endpoints —
  HTTP Digest when the URL ends in ``-auth`` (Virtuoso's ``/sparql-auth``), Basic otherwise — and, should the
  query endpoint answer 401, to it. They never appear in logs or error messages.
* **Errors.** Connection failures and HTTP 5xx raise :class:`BackendUnavailable` (→ 502), client timeouts
  :class:`QueryTimeout`, a server-side syntax error :class:`QuerySyntaxError`.

Rooms: :mod:`.backend` (the Backend: dataset, version, queries, writes), :mod:`.virtuoso` (rewrites and term
normalisation), :mod:`.http` (requests, credentials, error mapping), :mod:`.chunks` (N-Triples in pieces).
"""

from .backend import RemoteBackend
from .chunks import CHUNK_TRIPLES, UPDATE_CHUNK_TRIPLES, chunks, ox_lines, rdflib_lines
from .virtuoso import declares_dataset

__all__ = ["CHUNK_TRIPLES", "UPDATE_CHUNK_TRIPLES", "RemoteBackend", "chunks", "declares_dataset", "ox_lines",
           "rdflib_lines"]
