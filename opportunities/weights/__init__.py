"""Weights that mean something: swing weighting, weights in money and hours, and the
weight that would reconcile them with the gut."""
