"""The sandbox connector's home: it will publish to nowhere, for accounts marked ``sandbox``.

A sandbox account follows the rules of the network it imitates (``platform``), so it needs no
rules of its own; its connector is written together with the real ones.
"""
