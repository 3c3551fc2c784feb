"""The blueprints, one per page family. Pages import the web helpers above them (``..extensions``, ``..http``,
``..ui``, ``..labels``) and the rooms below (store, validation); a page imports another page only for its
public functions (``queries`` runs catalogue queries through ``sparql.run_query``)."""
