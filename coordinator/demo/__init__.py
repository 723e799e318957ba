"""Demo helpers: simulated hospitals with planted PHI (see :mod:`coordinator.demo.hospitals`)."""
