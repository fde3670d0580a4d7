"""The sandbox network: a simulated audience (``simulation.py``) and a connector that publishes
into Gaung's own database (``connector.py``), for accounts marked ``sandbox``.

A sandbox account follows the rules of the network it imitates (``platform``), so it needs no
rules of its own.
"""
