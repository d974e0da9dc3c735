"""Start JupyterLab on the notebooks: ``make lab`` runs this, tests/cli/test_lab.py too.

One command for both, so what is tested is what starts: loopback only (127.0.0.1), no
browser, ``notebooks/`` as the root folder and jupyter-server's token authentication (a
random token printed in the log, or ``$JUPYTER_TOKEN``).  ``--allow-root`` because
containers (and these machines) run as root, where JupyterLab otherwise refuses to start;
it changes nothing else.  Extra arguments are passed on to JupyterLab.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def lab_command(*extra: str) -> list[str]:
    """The JupyterLab command line, run with this interpreter (the project's .venv)."""
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ip=127.0.0.1",
        "--no-browser",
        f"--notebook-dir={NOTEBOOK_DIR}",
        "--allow-root",
        *extra,
    ]


def main(argv: list[str]) -> None:
    command = lab_command(*argv)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
