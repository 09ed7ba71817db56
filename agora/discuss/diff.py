"""Line diffs between revisions of a post, as rows a template can show."""

import difflib


def revision_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Rows of (kind, line) where kind is 'same', 'added' or 'removed'."""
    rows: list[tuple[str, str]] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            rows.append(("same", text))
        elif tag == "+ ":
            rows.append(("added", text))
        elif tag == "- ":
            rows.append(("removed", text))
    return rows
