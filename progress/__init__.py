"""Quarterly progress: the returns store, statuses and lights, the returns round trip, the 通报."""
