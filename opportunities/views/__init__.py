"""Views: fetch, call a service, render. One view, two renderings: a full page, or the
fragment an htmx request targets (``template.html#partial``)."""
