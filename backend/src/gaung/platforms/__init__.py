"""Everything Gaung knows about each network, behind one registry (``registry.py``).

``types.py`` and ``protocol.py`` hold the plain data and the connector protocol;
``<network>/`` the network's limits, rules and (later) its client. This package imports
nothing of Gaung but ``kit``, so its rules and connectors take plain values only.
"""
