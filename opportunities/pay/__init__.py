"""Comparable pay: any offer as one annual value, and the scores derived from it."""
