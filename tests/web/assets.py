"""The static files a page loads, read from its HTML as a browser would find them (used by
the static-files test and by the bench's report of the scoring page's weight)."""

from html.parser import HTMLParser


class _AssetLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and (src := values.get("src")):
            self.urls.append(src)
        elif tag == "link" and values.get("rel") == "stylesheet" and (href := values.get("href")):
            self.urls.append(href)


def asset_urls(html: str) -> list[str]:
    """The scripts and style sheets a page loads, in document order."""
    parser = _AssetLinks()
    parser.feed(html)
    return parser.urls
