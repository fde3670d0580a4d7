"""The writing check: explainable findings on stiff Indonesian, per platform.

``engine`` and ``rulebook`` are pure (no web or database imports): the API, the benchmark and
other callers use them directly."""
