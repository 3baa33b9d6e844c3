#!/usr/bin/env python3
"""Checks every internal link of the built guide (guide/book): each link to
a file names one that exists, and each #fragment an id on its page.

    mdbook build guide && python3 guide/check-links.py guide/book
"""
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.in_code = [], set(), 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])


def parse(path, cache={}):
    if path not in cache:
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        cache[path] = page
    return cache[path]


def main(root):
    root = Path(root).resolve()
    broken, checked = [], 0
    for html in sorted(root.rglob("*.html")):
        # mdBook's not-found page links from the host's root, as it must.
        if html.name == "404.html":
            continue
        for link in parse(html).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith("javascript:"):
                continue
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists() or root not in target.parents and target != root:
                broken.append(f"{html.relative_to(root)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{html.relative_to(root)}: {link} (no such id)")
    for b in broken:
        print(b)
    print(f"{checked} internal links checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "guide/book"))
