"""A corpus of cross-site scripting vectors for titles, post bodies, bios and display names.

Each vector, should it ever run, calls `__xss(n)` or `alert(n)` with its own number, so the
browser test can say which one got through. `{n}` is replaced by that number.
Sources of inspiration: the OWASP XSS filter evasion cheat sheet, PortSwigger's XSS cheat
sheet, DOMPurify's mutation-XSS regressions and Discourse's own sanitiser tests.
"""

from __future__ import annotations

_VECTORS = [
    # Script elements, plain and disguised.
    "<script>__xss({n})</script>",
    "<ScRiPt>alert({n})</sCrIpT>",
    '<script src="data:text/javascript,__xss({n})"></script>',
    "<<script>script>__xss({n})<</script>/script>",
    "<scr<script>ipt>__xss({n})</scr</script>ipt>",
    '<script\x0c type="text/javascript">__xss({n})</script>',
    # Event handlers.
    "<img src=x onerror=__xss({n})>",
    '<img src="x" onerror="alert({n})" />',
    "<svg onload=__xss({n})>",
    "<body onload=__xss({n})>",
    "<input autofocus onfocus=__xss({n})>",
    "<details open ontoggle=__xss({n})>",
    "<video><source onerror=__xss({n})></video>",
    "<audio src=x onerror=__xss({n})>",
    "<marquee onstart=__xss({n})>text</marquee>",
    "<img src=x onerror=&#95;&#95;xss&#40;{n}&#41;>",
    "<img/src=x/onerror=__xss({n})>",
    "<div onmouseover=\"__xss({n})\" onpointerenter='__xss({n})'>hover me</div>",
    # Dangerous elements.
    '<iframe src="javascript:__xss({n})"></iframe>',
    '<iframe srcdoc="<script>parent.__xss({n})</script>"></iframe>',
    '<object data="javascript:__xss({n})"></object>',
    '<embed src="javascript:__xss({n})">',
    '<base href="javascript:__xss({n})//">',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss({n})">',
    '<form action="javascript:__xss({n})"><button>go</button></form>',
    '<button formaction="javascript:__xss({n})">go</button>',
    '<link rel="stylesheet" href="javascript:__xss({n})">',
    '<a href="javascript:__xss({n})">click</a>',
    '<a href="jav&#x09;ascript:__xss({n})">tab</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:__xss({n})">entities</a>',
    # SVG and MathML.
    '<svg><a xlink:href="javascript:__xss({n})"><text x="20" y="20">svg link</text></a></svg>',
    "<svg><animate onbegin=__xss({n}) attributeName=x dur=1s>",
    '<svg><set attributeName="onmouseover" to="__xss({n})"/></svg>',
    "<svg><script>__xss({n})</script></svg>",
    '<math href="javascript:__xss({n})">math link</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:__xss({n})">x</maction></math>',
    # Mutation XSS and broken markup.
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss({n})>",
    '<noscript><p title="</noscript><img src=x onerror=__xss({n})>">',
    "<svg><style><img src=x onerror=__xss({n})></style></svg>",
    '<!--<img src="--><img src=x onerror=__xss({n})//">',
    "<img src=x onerror=__xss({n})//",
    "<a href='x' title=\"'><img src=x onerror=__xss({n})>\">broken</a>",
    '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=__xss({n}) src>">',
    # Attribute and element breakouts (titles, the composer's textarea, the page title).
    '"><script>__xss({n})</script>',
    "'><img src=x onerror=__xss({n})>",
    '" autofocus onfocus="__xss({n})',
    "</textarea><script>__xss({n})</script>",
    "</title><script>__xss({n})</script>",
    # Entities and escapes that must stay text.
    "&lt;script&gt;__xss({n})&lt;/script&gt;",
    "&#60;img src=x onerror=__xss({n})&#62;",
    "\\u003cimg src=x onerror=__xss({n})\\u003e",
    "\\x3cscript\\x3e__xss({n})\\x3c/script\\x3e",
    "\uff1cscript\uff1e__xss({n})\uff1c/script\uff1e",  # full-width brackets
    "\u202e<img src=x onerror=__xss({n})>",
    # Markdown links and images.
    "[click](javascript:__xss({n}))",
    "[click](JaVaScRiPt:__xss({n}))",
    "[click](javascript&#58;__xss({n}))",
    "[click](&#106;avascript:__xss({n}))",
    "[click](<javascript:__xss({n})>)",
    "[click](java%0Ascript:__xss({n}))",
    "[click](vbscript:msgbox({n}))",
    "[click](data:text/html,%3Cscript%3Eparent.__xss({n})%3C/script%3E)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#{n})",
    "![image](javascript:__xss({n}))",
    "![image](data:image/svg+xml,%3Csvg%20onload=__xss({n})%3E)",
    '![image](https://example.org/x.png "onerror=__xss({n})")',
    '![image](https://example.org/x.png"onerror="__xss({n}))',
    '[link](https://example.org/"onmouseover="__xss({n}))',
    "<javascript:__xss({n})>",
    "[ref]\n\n[ref]: javascript:__xss({n})",
    "[![img](x)](javascript:__xss({n}))",
    'javascript:__xss({n}) www.example.org/"><script>__xss({n})</script>',
    # CSS.
    '<div style="background:url(javascript:__xss({n}))">css url</div>',
    '<div style="width: expression(__xss({n}))">css expression</div>',
    '<style>@import "javascript:__xss({n})";</style>',
    # htmx attributes, which would run through htmx itself.
    '<div hx-on:htmx:load="__xss({n})" hx-get="/latest" hx-trigger="load">htmx</div>',
    '<img src=x hx-on::error="__xss({n})" data-hx-on:click="__xss({n})">',
    # Discourse-style quotes: breaking out of the username or the post reference.
    '[quote="x\\"><script>__xss({n})</script>, post:1, topic:1"]\nquoted\n[/quote]',
    '[quote="<img src=x onerror=__xss({n})>, post:1, topic:1"]\nquoted\n[/quote]',
    "[quote=\"a' onmouseover='__xss({n})\"]\nquoted\n[/quote]",
    '[quote="javascript:__xss({n})"]\nquoted\n[/quote]',
    '[quote="Member, post:1, topic:1"]\n<script>__xss({n})</script>\n[/quote]',
    '[quote="a"]\n[quote="b"]\n<img src=x onerror=__xss({n})>\n[/quote]\n[/quote]',
    '<aside class="quote"><img src=x onerror=__xss({n})></aside>',
    "AGORAQUOTE0X\n\n<img src=x onerror=__xss({n})>",
    # @mentions.
    "@<img src=x onerror=__xss({n})>",
    '@Member"><img src=x onerror=__xss({n})>',
    "[@Member](javascript:__xss({n}))",
    "@Member<script>__xss({n})</script>",
    # Template injection: must show as typed (server-side and client-side template engines).
    "{{7*7}} {% now 'Y' %} ${7*7} #{7*7} {{constructor.constructor('__xss({n})')()}}",
    "{{ 7 * 7 }} {% now 'Y' %} ${ 7 * 7 } <%= 7 * 7 %> {{constructor.constructor('alert({n})')()}}",
]

VECTORS: list[str] = [vector.replace("{n}", str(number)) for number, vector in enumerate(_VECTORS)]
assert len(set(VECTORS)) == len(VECTORS) >= 50
