"""Where the application's bundled resources live.

Resources (the service catalog, sample card profiles, the training seed and its photos,
translations) ship in the ``resources/`` folder beside the packages. In a PyInstaller bundle
they sit under the bundle's data directory instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the folder that holds the application's resources."""
    override = os.environ.get("HALL_COUNTER_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of one resource, e.g. ``resource_path("services.json")``."""
    return resources_dir().joinpath(*parts)
