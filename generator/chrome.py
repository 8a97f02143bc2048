"""Paper pages' shared chrome moved into one cached script (issue 16: 50,000 papers under 1 GB).

Material's header (site title, search box, light/dark toggle), the navigation sidebar, the footer
and the `__config` JSON (features, search worker, translations) were about 6 KB of every paper
page, the same bytes on all of them. generator/theme/paper.html marks those regions (CHROME_START
... CHROME_END); `externalize` takes them out of the paper-page frame that the `readinglist-pages`
plugin renders once, and returns a script that puts each back where it was, while the page is
parsed, before the browser first paints: the page links the script as a plain parser-blocking
`<script src>` in the first region's place and calls it inline in the others', so the header, the
palette toggle and search work as before, from `file://` too (a script element loads there;
`fetch()` would not). Without JavaScript (where search and the toggle never worked) the page keeps
its content and a plain line of navigation links (paper.html's <noscript>).

The script is a pure function of the frame: every paper page sits at the same depth, so the regions'
relative links are right for all of them. The page's own title (the header shows it) is the one
part that differs: the script reads it from `document.title`, whose form it learns from the frame's
`<title>`. Inline scripts inside a region (Material's palette restore) run after the region is back,
in order, as the parser would have run them.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Sequence

CHROME_START = "<!--rl:chrome-->"
CHROME_END = "<!--/rl:chrome-->"
CHROME_JS = "assets/javascripts/readinglist-paper.js"
REGION = re.compile(re.escape(CHROME_START) + "(.*?)" + re.escape(CHROME_END), re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
TITLE_ELEMENT = re.compile(r"<title>(.*?)</title>", re.DOTALL)
MAIN_CSS = re.compile(r'<link rel="stylesheet" href="([^"]*)assets/stylesheets/main\.[^"]*">')


class ChromeError(ValueError):
    """The frame is not what paper.html makes (the plugin turns this into a PluginError)."""


def _js(value: str) -> str:
    """A JavaScript string literal that is also safe inside HTML (never `</script>` or `<!--`)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def externalize(parts: Sequence[str], markers: re.Pattern[str], title_marker: str) -> tuple[tuple[str, ...], str]:
    """A frame's pieces (text and markers alternating) -> (the pieces without the chrome, the chrome script).

    The first marked region becomes `<script src=".../readinglist-paper.js">`, which defines
    `rlChrome(n)` and puts region 0 back; region n > 0 becomes `<script>rlChrome(n)</script>`. Each
    region goes back just before its script element. `title_marker` may occur in a region (the
    header's page title); no other marker may. `markers` (one capturing group) splits the frame into
    its pieces again.
    """
    text = "".join(parts)
    regions = REGION.findall(text)
    if not regions:
        raise ChromeError("the paper page's frame marks no chrome (generator/theme/paper.html)")
    if any(m != title_marker for region in regions for m in markers.findall(region)):
        raise ChromeError("a chrome region holds a part of the page that differs from paper to paper")
    root = MAIN_CSS.search(text)
    title = TITLE_ELEMENT.search(text)
    if root is None or title is None or title.group(1).count(title_marker) != 1:
        raise ChromeError("the paper page's frame has no stylesheet link or no <title> with the page's title")
    before, after = title.group(1).split(title_marker)
    count = iter(range(len(regions)))

    def place(_match: re.Match[str]) -> str:
        n = next(count)
        return f'<script src="{root.group(1)}{CHROME_JS}"></script>' if n == 0 else f"<script>rlChrome({n})</script>"

    rest = REGION.sub(place, text)
    before = _as_title(before).lstrip(" ")
    after = _as_title(after).rstrip(" ")
    return tuple(markers.split(rest)), script(regions, title_marker, before, after)


def _as_title(text: str) -> str:
    """<title> text as `document.title` gives it: references decoded, runs of ASCII whitespace as one space."""
    return re.sub(r"[ \t\n\f\r]+", " ", htmllib.unescape(text))


def script(regions: Sequence[str], title_marker: str, before: str, after: str) -> str:
    """The chrome script: `rlChrome(n)` puts region n (with the page's title) before the running script
    element, then runs the region's inline scripts, in order, each in its own function."""
    html = ",\n".join(_js(INLINE_SCRIPT.sub("", region)) for region in regions)
    runs = ",\n".join(
        "[" + ",".join(f"function(){{\n{code}\n}}" for code in INLINE_SCRIPT.findall(region)) + "]"
        for region in regions
    )
    return (
        "// Paper pages' shared chrome (generator/chrome.py): rlChrome(n) puts region n back in its place.\n"
        "(function(){\n"
        "var t=document.title,b=" + _js(before) + ",a=" + _js(after) + ";\n"
        "if(t.slice(0,b.length)===b&&t.slice(t.length-a.length)===a)t=t.slice(b.length,t.length-a.length);\n"
        't=t.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;");\n'
        "var html=[\n" + html + "\n];\n"
        "var runs=[\n" + runs + "\n];\n"
        "window.rlChrome=function(n){\n"
        'document.currentScript.insertAdjacentHTML("beforebegin",html[n].split(' + _js(title_marker) + ").join(t));\n"
        "runs[n].forEach(function(run){run();});\n"
        "};\n"
        "})();\n"
        "rlChrome(0);\n"
    )
