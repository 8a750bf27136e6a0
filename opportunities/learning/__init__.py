"""Learning from one's own decisions: the commit step, forecasts, check-ins and how well I judge."""
