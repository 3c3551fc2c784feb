"""Resilience analysis: who loses supply when an actor, a cooperation or an agreement fails.

``load`` reads the supply graph from any backend through the constant queries in ``queries/app/``;
``network`` builds one directed graph per good from a virtual source; ``dominators`` ranks single points of
failure from the dominator tree (with the naive one-search-per-removal baseline for comparison); ``whatif``
answers a removal scenario with first- and second-order losses (``cascade``) and hospital figures
(``hospitals``); ``brokers`` finds brokers and cooperations whose loss splits the network; ``rdf`` writes a run's
findings as RDF with provenance; ``render`` prints them; ``cli`` registers ``whatif`` and ``spof``.
"""

from __future__ import annotations

from .load import load_supply
from .model import SupplyData

__all__ = ["SupplyData", "load_supply"]
