"""``python -m convguard ...``: the ``convguard`` command with this interpreter."""

import sys

from .cli import main

sys.exit(main())
