"""``python -m kit``: the command line (see :mod:`kit.cli`)."""

import sys

from .cli import main

sys.exit(main())
