"""Help: the ideas behind the numbers, in plain language."""
