"""The self-service kiosk (``hall-counter --kiosk``): window, pages, keypad, voice, printouts.

``window.KioskWindow`` is the entry; ``docs/kiosk.md`` describes what a citizen sees and what a
hall's IT admin sets up (the operating system's own lockdown, printer, voice).
"""
