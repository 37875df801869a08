"""Scope matrix cases for commendation commendations (gathered by tests/test_scope_matrix.py)."""

CASES = []
