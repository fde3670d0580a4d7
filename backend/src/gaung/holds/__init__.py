"""Holds: a paused unit (or the whole agency) and blackout periods, during which due posts
wait; an election quiet period also turns on the political-content warnings."""
