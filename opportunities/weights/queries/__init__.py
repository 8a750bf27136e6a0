"""Reads of weights: what they mean in money and hours, the gut rankings they answer to."""
