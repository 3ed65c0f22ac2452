"""One resource locator for ``data/`` and ``assets/``, in a checkout and in an installed wheel.

The wheel carries both folders as ``acupressure_desktop/_resources/{data,assets}``
(hatchling force-include); a source checkout has them at the repository top level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ResourceDirs:
    data: Path
    assets: Path

    @property
    def bodymaps(self) -> Path:
        return self.assets / "bodymaps"

    @classmethod
    def locate(cls, data_override: Path | None = None) -> ResourceDirs:
        """Installed resources first, then the checkout; ``data_override`` replaces ``data/``."""
        for root in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent):
            if (root / "data" / "views.json").is_file() and (root / "assets" / "bodymaps").is_dir():
                found = cls(data=root / "data", assets=root / "assets")
                break
        else:
            raise FileNotFoundError(
                f"cannot find the app's data/ and assets/ folders near {_PACKAGE_DIR}; the installation is incomplete"
            )
        if data_override is not None:
            found = cls(data=data_override, assets=found.assets)
        return found
