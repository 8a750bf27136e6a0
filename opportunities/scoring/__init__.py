"""Scoring: the decision score of an opportunity, moved live with its sliders."""
