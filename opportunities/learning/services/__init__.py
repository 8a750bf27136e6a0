"""Learning: services, one module per part (commit step, check-ins, judgement, calendar)."""
