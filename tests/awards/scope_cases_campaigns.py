"""Scope matrix cases for commendation campaigns (gathered by tests/test_scope_matrix.py)."""

CASES = []
