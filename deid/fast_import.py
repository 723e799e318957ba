"""Import Presidio without the work it does at import time that the node does not need.

* ``presidio_analyzer`` imports ``transformers`` (for its optional Hugging Face NER pipeline) and
  ``torch`` (to detect a GPU), and spaCy's ``thinc`` imports ``torch`` when installed: ~3.5 s at
  every node start, for features the node never uses (NER runs on spaCy's own CPU model, the PHI
  tagger on onnxruntime). :func:`import_presidio` imports Presidio with those two packages hidden,
  unless the process already imported torch (then nothing is hidden and nothing changes). Later
  imports of torch or transformers work normally; only Presidio's optional transformers engine
  stays off in this process.
* Importing ``presidio_analyzer`` defines its ~170 predefined recognizers' ``Pattern`` objects,
  and each ``Pattern`` checks its regex by compiling it with the pure-Python ``regex`` parser
  (0.3 s on a 2-core machine, mostly for recognizers the node never registers). While Presidio is
  imported that check is skipped; afterwards it is back, so every ``Pattern`` made later (the
  node's YAML patterns, a recognizer a site adds) is checked as before. A predefined pattern that
  is used is compiled, once, when its recognizer first analyzes a text, as it always was.
* Presidio imports spaCy, whose ``__init__`` imports its whole command-line package
  (``spacy.cli``: weasel, httpx, requests, jinja2; 0.3 s) for the one function ``spacy.info``.
  While Presidio is imported ``spacy.cli`` is a placeholder; afterwards it is gone from
  ``sys.modules`` and ``import spacy.cli`` imports the real package, and ``spacy.info`` imports it
  when first called.

Call :func:`import_presidio` before the first ``presidio_analyzer`` import (``deid.pipeline``,
``deid.nlp`` and ``deid.operators`` do).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from types import ModuleType

_HIDDEN = ("torch", "transformers")
_PATTERN_MODULE = "presidio_analyzer.pattern"
_VALIDATE = "_Pattern__validate_regex"  # Pattern.__validate_regex, name-mangled


class _Hide(importlib.abc.MetaPathFinder):
    """Refuses ``torch`` and ``transformers`` while Presidio is imported."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        if fullname.split(".")[0] in _HIDDEN:
            raise ImportError(f"{fullname} hidden while Presidio is imported (deid.fast_import)")
        return None


class _DeferPatternChecks(importlib.abc.MetaPathFinder):
    """Loads ``presidio_analyzer.pattern`` with ``Pattern``'s regex check switched off.

    :meth:`restore` switches it back on (once Presidio's own modules are imported).
    """

    def __init__(self) -> None:
        self.pattern_class: type | None = None
        self.check = None

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        if fullname != _PATTERN_MODULE:
            return None
        sys.meta_path.remove(self)  # find the real spec without this finder
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader_exec = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            loader_exec(module)
            cls = getattr(module, "Pattern", None)
            if cls is not None and _VALIDATE in cls.__dict__:
                self.pattern_class, self.check = cls, cls.__dict__[_VALIDATE]
                setattr(cls, _VALIDATE, staticmethod(_no_check))

        spec.loader.exec_module = exec_module
        return spec

    def restore(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        if self.pattern_class is not None:
            setattr(self.pattern_class, _VALIDATE, self.check)
            self.pattern_class = None


def _no_check(pattern: str) -> None:
    return None


class _SpacyCliPlaceholder:
    """Stands in for ``spacy.cli`` and ``spacy.cli.info`` while spaCy is first imported."""

    def __init__(self) -> None:
        self.modules: dict[str, ModuleType] = {}

    def install(self) -> None:
        if any(name in sys.modules for name in ("spacy", "spacy.cli")):
            return
        cli, info = ModuleType("spacy.cli"), ModuleType("spacy.cli.info")
        cli.__path__ = []  # a package, so that ``spacy.cli.info`` is looked up in sys.modules
        info.info = _spacy_info
        cli.info = info
        self.modules = {"spacy.cli": cli, "spacy.cli.info": info}
        sys.modules.update(self.modules)

    def restore(self) -> None:
        if not self.modules:
            return
        for name, module in self.modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and spacy.__dict__.get("cli") is self.modules["spacy.cli"]:
            delattr(spacy, "cli")
        self.modules = {}


def _spacy_info(*args, **kwargs):
    """``spacy.info``: imports spaCy's command-line package when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_presidio() -> None:
    """Import ``presidio_analyzer`` and ``presidio_anonymizer`` (once), torch-free when possible."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # the e-mail recognizer must never fetch it
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if "presidio_analyzer" in sys.modules:
        return
    defer, spacy_cli = _DeferPatternChecks(), _SpacyCliPlaceholder()
    finders: list[importlib.abc.MetaPathFinder] = [defer]
    if not any(name in sys.modules for name in _HIDDEN):
        finders.append(_Hide())
    for finder in finders:
        sys.meta_path.insert(0, finder)
    spacy_cli.install()
    try:
        import presidio_analyzer  # noqa: F401
        import presidio_anonymizer  # noqa: F401
    finally:
        spacy_cli.restore()
        for finder in finders:
            if finder in sys.meta_path:
                sys.meta_path.remove(finder)
        defer.restore()
