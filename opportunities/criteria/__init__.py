"""Criteria: what matters to you in this decision, and how much."""
