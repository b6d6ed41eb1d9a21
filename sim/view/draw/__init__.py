"""Renderers: pygame surfaces from the scene's state, with text rendered once and cached."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on stdout
