"""Scope matrix cases for commendation nominations (gathered by tests/test_scope_matrix.py)."""

CASES = []
