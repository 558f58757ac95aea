"""Where the application's bundled resources live.

Resources (the service catalog, sample card profiles, the training seed and its photos,
translations) ship in the ``resources/`` folder beside the packages. In a PyInstaller bundle
they sit under the bundle's data directory instead, and an installed wheel carries them as
``desktop/_resources`` (pyproject.toml's force-include).
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
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():  # installed from the wheel
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of one resource, e.g. ``resource_path("services.json")``."""
    return resources_dir().joinpath(*parts)
