"""The quiet console: what sklstm touches to keep TensorFlow's start-up quiet.

Each check runs in a fresh interpreter, the only place where TensorFlow's
import can be observed.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from sklstm._utils.quiet import environ_default, user_wants_logs

# Records every os.dup2 onto file descriptor 2 and the environment, before and
# after the code under test; prints them as JSON on stdout.
_PROBE = textwrap.dedent(
    """
    import json, os, sys
    redirects = []
    _dup2 = os.dup2
    def dup2(fd, fd2, *args):
        if fd2 == 2:
            redirects.append(fd)
        return _dup2(fd, fd2, *args)
    os.dup2 = dup2
    import sklearn.base
    before = dict(os.environ)
    {code}
    changed = sorted(k for k in set(before) | set(os.environ)
                     if before.get(k) != os.environ.get(k))
    os.write(2, b"fd 2 works\\n")
    print(json.dumps(dict(redirects=len(redirects), changed=changed,
                          tf="tensorflow" in sys.modules)))
    """
)

# Importing the estimator imports TensorFlow (quiet fits are checked in
# tests/test_integration.py).
_IMPORT_TF = "from sklstm import LSTMSeqRegressor\nimport sklstm._utils.tf\n"


def _probe(code, level):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    if level is not None:
        env["TF_CPP_MIN_LOG_LEVEL"] = level
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


def test_importing_sklstm_for_the_transformers_touches_nothing():
    # scikit-learn sets a few variables of its own at import: import it first.
    code = "import sklstm\nfrom sklstm import make_windows, SequenceReshaper\n"
    code += "make_windows(list(range(10)), 3, 1)\n"
    report, err = _probe(code, None)
    assert report == dict(redirects=0, changed=[], tf=False)
    assert err == "fd 2 works\n"


# "3" takes the path of None (test_which_levels_ask_for_logs): not rerun here.
@pytest.mark.parametrize("level", [None, "0"])
def test_log_level_3_or_unset_keeps_quiet_and_0_shows_the_logs(level):
    report, err = _probe(_IMPORT_TF, level)
    assert report["tf"]
    # Set (when unset) for TensorFlow's import only; KERAS_BACKEND likewise.
    assert not {"TF_CPP_MIN_LOG_LEVEL", "KERAS_BACKEND"} & set(report["changed"])
    if level != "0":
        # One redirect to /dev/null during TensorFlow's import, one back.
        assert report["redirects"] == 2
        assert err == "fd 2 works\n"
    else:
        # sklstm leaves the import and standard error alone: whatever this
        # machine's TensorFlow logs at start-up reaches the console.
        assert report["redirects"] == 0
        assert err.endswith("fd 2 works\n")


@pytest.mark.parametrize(
    "value, wanted",
    [(None, False), ("3", False), ("2", False), ("1", True), ("0", True)],
)
def test_which_levels_ask_for_logs(monkeypatch, value, wanted):
    if value is None:
        monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", value)
    assert user_wants_logs() is wanted


def test_environ_default_restores_the_environment(monkeypatch):
    monkeypatch.delenv("SKLSTM_TEST_VAR", raising=False)
    with environ_default("SKLSTM_TEST_VAR", "x"):
        assert os.environ["SKLSTM_TEST_VAR"] == "x"
    assert "SKLSTM_TEST_VAR" not in os.environ
    monkeypatch.setenv("SKLSTM_TEST_VAR", "user")
    with environ_default("SKLSTM_TEST_VAR", "x"):
        assert os.environ["SKLSTM_TEST_VAR"] == "user"
    assert os.environ["SKLSTM_TEST_VAR"] == "user"
