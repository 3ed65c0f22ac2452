"""Acupressure Desktop: learn and practise self-acupressure and self-massage."""

__version__ = "0.1.0"
APP_NAME = "acupressure-desktop"
APP_TITLE = "Acupressure Desktop"
