"""Priority screening: the relevance ranking, the stopping rule, the recall curve and
the simulation that measures them on labelled reviews (no Qt here)."""
