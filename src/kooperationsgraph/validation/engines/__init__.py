"""The two validation engines: pySHACL, the reference (:mod:`.pyshacl`), and the compiled fast path
(:mod:`..fast`, identical results, checked by the differential tests)."""
