"""The content calendar: variants over a date range, observances, and post templates."""
