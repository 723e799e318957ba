"""deid.fast_import: what Presidio's import skips at node start-up comes back afterwards.

Each check runs in a fresh interpreter: the import tricks only act on a process's first import of
Presidio and spaCy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.split()


def test_patterns_made_after_the_import_are_checked_again():
    code = ("import deid.pipeline\n"
            "from presidio_analyzer import Pattern\n"
            "try:\n    Pattern('broken', '([a-z', 0.5); print('unchecked')\n"
            "except ValueError:\n    print('checked')\n")
    assert _run(code) == ["checked"]


def test_presidio_predefined_patterns_still_match():
    """Their regexes were not checked at import; they are compiled when first used."""
    code = ("import deid.pipeline\n"
            "from presidio_analyzer.predefined_recognizers import EmailRecognizer, IpRecognizer\n"
            "print(len(EmailRecognizer().analyze('write to ann.lee@example.org', ['EMAIL_ADDRESS'])),\n"
            "      len(IpRecognizer().analyze('from 192.168.10.4 today', ['IP_ADDRESS'])))\n")
    assert _run(code) == ["1", "1"]


def test_spacy_cli_is_not_imported_but_still_importable():
    code = ("import sys, deid.pipeline\n"
            "print('spacy.cli' in sys.modules, hasattr(sys.modules['spacy'], 'cli'))\n"
            "import spacy.cli\n"
            "print(callable(spacy.cli.download), spacy.info(markdown=True).startswith('\\n## Info about spaCy'))\n")
    assert _run(code) == ["False", "False", "True", "True"]
