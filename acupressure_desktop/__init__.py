"""Acupressure Desktop: learn and practise self-acupressure and self-massage."""

__version__ = "0.1.0"
APP_NAME = "acupressure-desktop"
APP_TITLE = "Acupressure Desktop"
APP_ID = "io.github.acupressure_desktop.AcupressureDesktop"  # desktop file, AppStream id and icon name
