"""``python -m sim``: the same as the ``dockersim`` command."""

import sys

from .cli.app import main

sys.exit(main())
