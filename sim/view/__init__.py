"""The window: a pygame view that plays a world's trace back (``sim.view.api``).

pygame itself is imported only by the drawing modules, which only the window and the
recorder load; ``dockersim --help`` never pays for it.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no pygame banner on stdout
