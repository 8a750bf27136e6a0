"""The web plumbing every feature shares: htmx helpers and middleware, request ids and
structured logs, the health check and the error pages."""
