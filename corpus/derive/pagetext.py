"""The visible text of a built page, normalised for "does this page show that value?"
checks. Shared by the derivation scripts (import it as `pagetext`: a script's own folder
is on Python's path when it is run as `python3 corpus/derive/ID.py`)."""
import html
import html.parser
import os
import re
import unicodedata


class Text(html.parser.HTMLParser):
    """Collects a page's text outside <script> and <style>, with a space at every tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def norm(value):
    """NFKC, entities decoded, whitespace collapsed, case folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(value))).strip().casefold()


def page(site, path):
    """The file served for a URL path of a built site (PATH/index.html)."""
    return os.path.join(site, path.strip("/"), "index.html")


def page_text(site, path):
    """The normalised visible text of the page at a URL path."""
    parser = Text()
    with open(page(site, path), encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts))
