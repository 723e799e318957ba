"""De-identification of clinical text (and, later, images).

Entry point: :class:`deid.pipeline.Deidentifier`, built from a YAML config
(:mod:`deid.config`, default in ``deid/config/default.yaml``) and a site secret
that never leaves the node.
"""
