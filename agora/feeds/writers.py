"""The three formats a feed is written in: RSS 2.0 and Atom (django.utils.feedgenerator, with each item's
whole content) and JSON Feed 1.1 (a small writer of our own, as a SyndicationFeed so Django's Feed
classes, the blog's included, write it too)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.feedgenerator import Rss201rev2Feed, SyndicationFeed, rfc3339_date

from agora.blog.feeds import FullContentAtom1Feed

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class FullContentRss201rev2Feed(Rss201rev2Feed):
    """RSS 2.0 with the item's whole HTML in <content:encoded> beside its <description> (the summary)."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): version, title and items with an id and
    content are required; the rest is written when known."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile: Any, encoding: str) -> None:
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":")))

    def as_dict(self) -> dict[str, Any]:
        feed = self.feed
        data: dict[str, Any] = {"version": JSON_FEED_VERSION, "title": str(feed["title"])}
        optional = {
            "home_page_url": feed.get("link"),
            "feed_url": feed.get("feed_url"),
            "description": str(feed["description"]) if feed.get("description") else None,
            "language": feed.get("language"),
        }
        data.update({k: v for k, v in optional.items() if v})
        data["items"] = [self.item_dict(item) for item in self.items]
        return data

    @staticmethod
    def item_dict(item: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(item.get("unique_id") or item["link"]), "url": item["link"]}
        out["title"] = str(item["title"])
        content = item.get("content") or item.get("description") or ""
        out["content_html"] = str(content)
        if item.get("content") and item.get("description"):
            out["summary"] = str(item["description"])
        if item.get("pubdate"):
            out["date_published"] = rfc3339_date(item["pubdate"])
        if item.get("updateddate"):
            out["date_modified"] = rfc3339_date(item["updateddate"])
        authors = [{"name": name, **({"url": url} if url else {})} for name, url in item.get("authors") or ()]
        if not authors and item.get("author_name"):
            authors = [
                {"name": item["author_name"], **({"url": item["author_link"]} if item.get("author_link") else {})}
            ]
        if authors:
            out["authors"] = authors
        if item.get("categories"):
            out["tags"] = [str(c) for c in item["categories"]]
        if item.get("language"):
            out["language"] = item["language"]
        return out


FORMATS: dict[str, type[SyndicationFeed]] = {
    "rss": FullContentRss201rev2Feed,
    "atom": FullContentAtom1Feed,
    "json": JsonFeed,
}
