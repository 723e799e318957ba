"""The network's hub: node registry, cross-site counts, the Flower server side, public data.

So far: the demo network (:mod:`coordinator.demo`) that simulates hospitals and
runs a node for each. Start at :mod:`coordinator.cli` (the ``fedcoord`` command).
"""
