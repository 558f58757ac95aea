"""The command line's own behaviour: exit codes and logging set-up."""

from __future__ import annotations

import logging

from ui import cli


def test_bad_usage_exits_2(capsys):
    assert cli.main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_unknown_debug_topic_is_bad_usage(capsys):
    assert cli.main(["--debug", "cards", "outbox", "status"]) == 2
    err = capsys.readouterr().err
    assert "unknown debug topic" in err and "or all" in err


def test_logging_follows_the_current_stderr_across_runs(tmp_path, capsys):
    """Running main() twice keeps one stderr handler, writing to the stderr of the moment."""
    for _ in range(2):
        cli.main(["--data-dir", str(tmp_path), "outbox", "status"])
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h, cli._StderrHandler)]
    assert len(ours) == 1
    capsys.readouterr()
    logging.getLogger("desktop.test").warning("a line for the current stderr")
    assert "a line for the current stderr" in capsys.readouterr().err
