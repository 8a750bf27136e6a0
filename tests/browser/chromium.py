"""The system's Chromium, as the browser tests and the bench's browser measurement start it.

Playwright's own browser download is never used: Chromium comes from the system
(``/usr/bin/chromium`` from Debian's package, or ``CHROMIUM_PATH``).
"""

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
"""Headless as root on a machine with no network beyond its package registries: without
the background-networking flags Chromium keeps trying to reach Google's hosts."""
