"""The PySide6 GUI: the clerk window, its pages and widgets, and the bridges to the Desk.

Entry point: ``ui.qt.main.run_gui(args)``. Translations: ``python -m ui.qt.i18n build``.
"""
