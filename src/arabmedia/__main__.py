"""``python -m arabmedia`` is the same as the ``arabmedia`` command."""

import sys

from arabmedia.cli import main

sys.exit(main())
