"""The node's network identity: its key, certificate request and certificate.

``fednode init`` creates the key and a CSR (:func:`node.identity.keys.create_identity`);
the network operator signs it (``fedcoord nodes approve``); ``fednode pki
install`` checks and installs the certificate (:mod:`node.identity.install`);
``fednode status`` reports expiry (:mod:`node.identity.status`).
"""
