"""``python -m acupressure_desktop``."""

import sys

from acupressure_desktop.cli import main

sys.exit(main())
