"""The PySide6 GUI: the clerk window, the self-service kiosk (kiosk/), and the Desk bridges.

Entry point: ``ui.qt.main.run_gui(args)``. Translations: ``python -m ui.qt.i18n build``.
"""
