"""node/logs.py: each open node logs to its own node.log, and a closed node's file gets nothing more."""

from __future__ import annotations

import logging

from node.logs import release_file_logging, setup_file_logging


def _fednet_files() -> set[str]:
    return {h.baseFilename for h in logging.getLogger("fednet").handlers if isinstance(h, logging.FileHandler)}


def test_a_closed_node_log_gets_no_lines_of_the_next_node(tmp_path):
    before = _fednet_files()
    a = setup_file_logging(tmp_path / "a" / "logs")
    logging.getLogger("fednet.test").info("line of node a")
    release_file_logging(a)
    b = setup_file_logging(tmp_path / "b" / "logs")
    try:
        logging.getLogger("fednet.test").info("line of node b")
    finally:
        release_file_logging(b)
    assert "line of node a" in a.read_text() and "line of node b" not in a.read_text()
    assert "line of node b" in b.read_text()
    assert _fednet_files() == before  # nothing left attached


def test_the_same_node_opened_twice_keeps_logging_until_both_close(tmp_path):
    first = setup_file_logging(tmp_path / "logs")
    second = setup_file_logging(tmp_path / "logs")
    assert first == second and list(_fednet_files()).count(str(first)) == 1
    release_file_logging(first)
    logging.getLogger("fednet.test").info("still open once")
    release_file_logging(second)
    logging.getLogger("fednet.test").info("after both closed")
    text = first.read_text()
    assert "still open once" in text and "after both closed" not in text
    assert str(first) not in _fednet_files()
