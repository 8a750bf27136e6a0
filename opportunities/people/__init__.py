"""The people in a decision, where each opportunity came from, and follow-ups."""
