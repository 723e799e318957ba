"""The network's public-key infrastructure, run by the coordinator.

- :mod:`coordinator.pki.ca`: the network CA (``fedcoord pki init``), node and
  server certificates, the certificate revocation list (CRL).
- :mod:`coordinator.pki.registry`: the node registry (one record per approved
  node: certificate serial, expiry, SuperNode public key, status).
- :mod:`coordinator.pki.enrolment`: approve a node's CSR, rotate, revoke.
- :mod:`coordinator.pki.tls`: mutual-TLS contexts that refuse certificates of
  other CAs and revoked ones at connection time.

Everything lives in one folder (``<coordinator dir>/pki``); private keys are
written with mode 0600 and never leave it.
"""
