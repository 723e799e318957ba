"""The coordinator's side of the real network (``fedcoord serve``).

- :mod:`coordinator.network.superlink`: Flower's SuperLink, fenced (other hosts reach its Fleet API only);
- :mod:`coordinator.network.control`: the SuperLink's Control API on this host (node keys from the PKI, runs);
- :mod:`coordinator.network.executor`: the SuperLink's ServerApp tasks (the query run in-process, training runs
  as ``flwr-serverapp``);
- :mod:`coordinator.network.service`: all of it supervised, plus the web UI and HTTP/JSON API (:mod:`api`);
- :mod:`coordinator.network.client`: the API client ``fedcoord count|train --superlink`` use.
"""
