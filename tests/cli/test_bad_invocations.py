"""Every command, given bad paths and options, ends with one clear line and an exit code:
never a traceback (issue 16)."""

import pytest

from parley.cli import cli


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("bad")
    (root / "a.txt").write_text("Kenya accused Uganda on Monday of sending troops across "
                                "the border near Busia.")
    (root / "exists.parquet").write_text("")
    # every event the models keep (as `--min-confidence 0`, which sets the variable for
    # the worker processes and so would outlive the command in this process)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARLEY_MIN_CONFIDENCE", "0")
        out = CliRunner().invoke(cli, ["ingest", str(root / "a.txt"), "--db",
                                       str(root / "s.db"), "--published", "2024-03-08"])
        assert out.exit_code == 0, out.output
    dyad = CliRunner().invoke(cli, ["dyad", "KEN", "UGA", "--db", str(root / "s.db")])
    assert dyad.exit_code == 0, dyad.output  # so that --plot below reaches the plot
    return root


BAD = [
    ("code", "{root}/missing.txt"),
    ("code", "{root}/a.txt", "--published", "99999"),
    ("ingest", "{root}/missing", "--db", "{root}/s.db"),
    ("batch", "{root}/missing", "{root}/out"),
    ("batch", "{root}/a.txt", "/proc/parley-no-such-dir"),
    ("events", "--db", "{root}/missing.db"),
    ("events", "--db", "{root}/s.db", "--since", "not-a-date"),
    ("events", "--db", "{root}/s.db", "--format", "parquet"),
    ("export", "--db", "{root}/s.db", "--format", "parquet", "-o", "{root}/exists.parquet"),
    ("export", "--db", "{root}/s.db", "--format", "gdelt", "-o", "/dev/full"),
    ("export", "--db", "{root}/s.db", "--format", "gdelt", "-o", "/nonexistent/dir/x.tsv"),
    ("dyad", "KEN", "UGA", "--db", "{root}/s.db", "--plot", "/nonexistent/dir/x.png"),
    ("dyad", "ZZZ", "YYY", "--db", "{root}/s.db"),
    ("eval", "{root}/missing.json"),
    ("eval", "{root}/a.txt"),
    ("kb", "lookup"),
    ("serve", "--db", "{root}/missing.db"),
]


@pytest.mark.parametrize("args", BAD, ids=lambda a: " ".join(a[:3]))
def test_a_bad_invocation_is_one_line_and_an_exit_code(runner, store, args):
    argv = [a.format(root=store) for a in args]
    out = runner.invoke(cli, argv)
    assert out.exit_code != 0, out.output
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    assert "Traceback" not in out.output
    assert (out.stderr or out.output).strip(), "no message"


def test_min_confidence_is_put_back_when_the_command_ends(tmp_path, monkeypatch):
    import os

    from click.testing import CliRunner

    monkeypatch.delenv("PARLEY_MIN_CONFIDENCE", raising=False)
    story = tmp_path / "s.txt"
    story.write_text("Kenya and Uganda signed a trade deal in Nairobi on Monday.", "utf-8")
    result = CliRunner().invoke(cli, ["code", str(story), "--min-confidence", "0.9"])
    assert result.exit_code == 0, result.output
    assert "PARLEY_MIN_CONFIDENCE" not in os.environ
