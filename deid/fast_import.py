"""Import Presidio without the deep-learning stack it does not need here.

``presidio_analyzer`` imports ``transformers`` (for its optional Hugging Face NER pipeline) and
``torch`` (to detect a GPU), and spaCy's ``thinc`` imports ``torch`` when installed: ~3.5 s at every
node start, for features the node never uses (NER runs on spaCy's own CPU model, the PHI tagger on
onnxruntime). :func:`import_presidio` imports Presidio with those two packages hidden, unless the
process already imported torch (then nothing is hidden and nothing changes). Later imports of
torch or transformers work normally; only Presidio's optional transformers engine stays off in
this process. Call it before the first ``presidio_analyzer`` import (``deid.pipeline`` does).
"""

from __future__ import annotations

import importlib.abc
import os
import sys

_HIDDEN = ("torch", "transformers")


class _Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        if fullname.split(".")[0] in _HIDDEN:
            raise ImportError(f"{fullname} hidden while Presidio is imported (deid.fast_import)")
        return None


def import_presidio() -> None:
    """Import ``presidio_analyzer`` and ``presidio_anonymizer`` (once), torch-free when possible."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # the e-mail recognizer must never fetch it
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if "presidio_analyzer" in sys.modules:
        return
    if any(name in sys.modules for name in _HIDDEN):
        import presidio_analyzer  # noqa: F401
        import presidio_anonymizer  # noqa: F401
        return
    finder = _Hide()
    sys.meta_path.insert(0, finder)
    try:
        import presidio_analyzer  # noqa: F401
        import presidio_anonymizer  # noqa: F401
    finally:
        sys.meta_path.remove(finder)
