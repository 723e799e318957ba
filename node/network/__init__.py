"""The node's side of the real network (``fednode join``).

- :mod:`node.network.supernode`: Flower's SuperNode (TLS, node authentication, outbound
  only) with its fixed polling sleeps shortened;
- :mod:`node.network.worker`: the long-running node worker that keeps the query and training
  apps loaded and runs every message the SuperNode receives, without a process start;
- :mod:`node.network.training`: the node prepares its own training features from its own
  store (opt-outs applied), under a valid run permit only;
- :mod:`node.network.join`: starts and supervises both.
"""
