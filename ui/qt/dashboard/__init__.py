"""The supervisor's hall dashboard (design: the issue "Hall dashboard: see where cases wait").

``window.DashboardWindow`` is the window, ``entry.DashboardButtonWidget`` the clerk window's
button that opens it; the figures come from ``desktop.dashboard``. ``docs/dashboard.md``
describes it.
"""
