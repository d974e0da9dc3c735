"""``python -m arabmedia`` is the same as the ``arabmedia`` command."""

import sys

from arabmedia.cli._main import main

sys.exit(main())
