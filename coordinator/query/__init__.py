"""Cross-site cohort counts: the secure-sum protocol, its transports (Flower, in-process), results."""
