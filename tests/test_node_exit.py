"""node.exit.exit_now: the console commands end without the interpreter's teardown, and lose nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_exit_handlers_run_and_output_is_flushed(tmp_path):
    code = ("import atexit, logging, sys\n"
            "from node.exit import exit_now\n"
            "log = logging.getLogger('t'); h = logging.FileHandler(sys.argv[1]); log.addHandler(h)\n"
            "log.warning('last line')\n"
            "atexit.register(print, 'handler ran')\n"
            "print('unflushed', end='')\n"
            "sys.stderr.write('err')\n"
            "exit_now(3)\n")
    log = tmp_path / "t.log"
    out = _run(code, str(log))
    assert out.returncode == 3
    assert out.stdout == "unflushedhandler ran\n"
    assert out.stderr == "err"
    assert log.read_text() == "last line\n"


def test_a_running_thread_gets_a_normal_exit():
    code = ("import threading, time\n"
            "from node.exit import exit_now\n"
            "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done', flush=True))).start()\n"
            "exit_now(None)\n")
    out = _run(code)
    assert (out.returncode, out.stdout) == (0, "thread done\n")


def test_the_console_command_stores_and_logs_everything(tmp_path):
    """``fednode ingest`` as installed (node.cli:run): the note is stored and the log is whole."""
    (tmp_path / "node.toml").write_text(f'[node]\nsite_id = "exit"\nsite_name = "Exit"\ndata_dir = "{tmp_path / "data"}"\n')
    export = tmp_path / "export"
    (export / "notes").mkdir(parents=True)
    (export / "patients.csv").write_text("mrn,name,birth_date,sex\n7731-002-91,Mary Smith,1950-03-04,F\n")
    (export / "notes" / "7731-002-91_2023-07-22_progress.txt").write_text(
        "MRN: 7731-002-91\nDate: 2023-07-22\nType: Progress note\n---\nSeen by Dr. Golding on 7/22.\n")
    cmd = [sys.executable, "-m", "node.cli", "--config", str(tmp_path / "node.toml")]
    ingest = subprocess.run([*cmd, "ingest", str(export), "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["notes_stored"] == 1
    again = subprocess.run([*cmd, "ingest", str(export), "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert json.loads(again.stdout)["notes_already_stored"] == 1  # what the first process stored is there
    logs = list((tmp_path / "data").rglob("*.log"))
    assert logs and any("ingest" in p.read_text() for p in logs)
