"""What the worst posts we accept cost to render: 32 KB of nested quotes, unclosed quotes, sibling
quotes, @mentions and malformed quote tags (tests/core/test_markdown.py bounds their work in
function calls, which a loaded machine cannot disturb; this prints the time).

    .venv/bin/python -m bench.markdown
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from agora.core.markdown import render_markdown
    from tests.core.test_markdown import LIMIT, worst_cases

    for case, raw in worst_cases().items():
        raw = raw[:LIMIT]
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            render_markdown(raw, {"member": "/u/Member"})
            best = min(best, time.perf_counter() - started)
        print(f"{case:22} {len(raw):6} chars  best of 5: {best * 1000:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
