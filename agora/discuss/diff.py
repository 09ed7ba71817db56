"""Line diffs between revisions of a post or a story, as rows a template can show."""

import difflib

# Longer texts are compared in full only up to this many lines each: a diff costs up to the product of
# the two lengths, and a revision page must stay cheap for anyone who may open it.
MAX_DIFF_LINES = 2000


def revision_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Rows of (kind, line) where kind is 'same', 'added' or 'removed'. Whole lines only: difflib's
    ndiff also matches characters inside changed lines, which costs far more than quadratic time."""
    old, new = before.splitlines(), after.splitlines()
    rest_old, rest_new = old[MAX_DIFF_LINES:], new[MAX_DIFF_LINES:]
    old, new = old[:MAX_DIFF_LINES], new[:MAX_DIFF_LINES]
    rows: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [("same", line) for line in old[i1:i2]]
            continue
        rows += [("removed", line) for line in old[i1:i2]]
        rows += [("added", line) for line in new[j1:j2]]
    if rest_old != rest_new:  # beyond the compared part: shown whole, as removed and added
        rows += [("removed", line) for line in rest_old] + [("added", line) for line in rest_new]
    else:
        rows += [("same", line) for line in rest_old]
    return rows
