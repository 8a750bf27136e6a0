"""The pipeline: your opportunities and where each one stands."""
