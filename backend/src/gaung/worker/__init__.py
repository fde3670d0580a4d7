"""The scheduler and `gaung worker`: jobs that run outside any request (see scheduler.py)."""
