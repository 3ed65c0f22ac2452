"""Entry point of the PyInstaller bundle: the same `main` as the `acupressure-desktop` command."""

import sys

from acupressure_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
