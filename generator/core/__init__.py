"""The domain: typed, frozen objects, the catalogue and the plan's pure rules. Imports no other stage."""
