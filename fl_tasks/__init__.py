"""Federated CLIP-style training across hospital nodes (Flower), and its zero-shot evaluation.

Read in this order: ``config`` (every knob), ``data`` (pair sources), ``features`` (cached
frozen trunks), ``model``/``loss``/``train`` (the trainable head), ``evaluate`` (zero-shot),
``client_app``/``server_app`` (Flower), ``simulation``/``demo`` (running it), ``report``.
"""
