"""SPARQL text utilities shared by the store seam and the web: the one lexer, the screen, the result-format
registry and the term-binding helpers. Nothing here touches a store."""
