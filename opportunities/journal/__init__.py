"""The decision journal: decisions, their outcomes, and looking back over them."""
