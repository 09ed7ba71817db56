"""Checks on rendered HTML shared by the account tests: labels for every control, nothing inline that
the Content-Security-Policy (script-src 'self'; style-src 'self') would block."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Control:
    tag: str
    attrs: dict
    inside_label: bool
    inside_label_text: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.attrs.get("name") or self.attrs.get("id") or self.tag


class PageAudit(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self.label_text: dict[str, str] = {}
        self.csp_violations: list[str] = []
        self._labels: list[tuple[str | None, list[str], list[Control]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "style" in a:
            self.csp_violations.append(f"style attribute on <{tag}>")
        self.csp_violations += [f"{k} handler on <{tag}>" for k in a if k.startswith("on")]
        if tag == "style":
            self.csp_violations.append("<style> element")
        if tag == "script" and not a.get("src") and a.get("type") not in {"application/json", "application/ld+json"}:
            self.csp_violations.append("inline <script>")
        if any(v.strip().lower().startswith("javascript:") for k, v in a.items() if k in {"href", "src", "action"}):
            self.csp_violations.append(f"javascript: URL on <{tag}>")
        if tag == "label":
            self._labels.append((a.get("for"), [], []))
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and a.get("type", "text") in UNLABELLED_INPUT_TYPES:
                return
            control = Control(tag, a, inside_label=bool(self._labels))
            self.controls.append(control)
            if self._labels:
                self._labels[-1][2].append(control)

    def handle_data(self, data):
        for _for, texts, _controls in self._labels:
            texts.append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self._labels:
            target, texts, controls = self._labels.pop()
            text = " ".join("".join(texts).split())
            if target:
                self.label_text[target] = text
            for control in controls:
                control.inside_label_text.append(text)

    def accessible_name(self, control: Control) -> str:
        a = control.attrs
        return (
            a.get("aria-label", "").strip()
            or (a.get("aria-labelledby") and "(labelledby)")
            or self.label_text.get(a.get("id", ""), "")
            or " ".join(control.inside_label_text).strip()
            or a.get("title", "").strip()
        )

    def unlabelled(self) -> list[str]:
        return [c.name for c in self.controls if not self.accessible_name(c)]


def audit(response) -> PageAudit:
    return PageAudit(response.content.decode())


class _Dangerous(HTMLParser):
    """Markup that would run script or load content in a browser (as opposed to inert, escaped text)."""

    ACTIVE_TAGS = {"script", "style", "iframe", "object", "embed", "frame", "base", "form", "meta", "link", "svg"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self.ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"{name}= on <{tag}>")
            if name in {"href", "src", "action", "xlink:href"} and value:
                scheme = "".join(value.split()).lower().split(":", 1)[0]
                if ":" in value and scheme in {"javascript", "vbscript", "data"}:
                    self.found.append(f"{scheme}: URL on <{tag}>")


def dangerous_markup(html: str) -> list[str]:
    return _Dangerous(html).found
