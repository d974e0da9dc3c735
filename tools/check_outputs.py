"""Fail when the nbval rerun changed or added files under the given folders.

nbval compares the notebooks' displayed outputs; the figures and tables they export
are compared here, byte for byte, with the committed ones (``git status``).  On a
clean clone (CI) a difference means a rerun is not reproducible; on a working copy it
may just mean new figures that still have to be committed.
"""

import subprocess
import sys


def main(folders: list[str]) -> int:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", *folders],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if status:
        print("The notebook rerun changed these exported files (not byte-identical to git):")
        print(status, end="")
        return 1
    print(f"exported files in {', '.join(folders)}: byte-identical to the committed ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["figures"]))
