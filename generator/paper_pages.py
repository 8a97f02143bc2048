"""Paper pages without one theme render per paper (`readinglist-pages` in mkdocs.yml).

MkDocs turns every page into HTML the same way: Python-Markdown, then the
theme's Jinja templates (Material's main.html and its partials), about 7 ms a
page on one core. At 10,000 papers that is most of a build. Paper pages do not
need it: the generator writes their body as finished HTML (render_paper.py),
and every paper page has the same frame. Nor do the pages after the first of a
long list (all/<n>.md, tags/<slug>/newest-<n>.md: 463 of them at 10,000 papers),
which are outside the navigation and search, and whose bodies are HTML too
(`cards.framed_place` names every framed page). So this plugin

- takes those pages out of MkDocs' build (`on_files`: they stay known to MkDocs,
  so links and search locations to them still resolve);
- renders the theme's frame once per kind of page (where it sits, which sections
  it has, its front matter besides title and tags), through the theme's own
  templates and with marker values for the page's title, folder, name and content;
- writes every such page as that frame with the markers replaced, on every core,
  and only the pages whose bytes changed (a kept `site/` rebuilds in seconds);
- adds them to `sitemap.xml` (and `.gz`) as MkDocs lists its own pages.

What this needs of MkDocs' page machinery (File, Page, the table of contents,
the template context, inclusion levels, plugin order, the sitemap's layout) is in
generator/toolchain.py, with the rest of the upgrade checklist.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator import chrome, parallel, toolchain
from generator.cards import HTML_END, HTML_START, framed_place
from generator.errors import GeneratorError
from generator.pages import simple_meta
from generator.writer import read_manifest

PAPERS = "papers"
SLUG = "rlpageslugmarker"  # a page's name: [a-z0-9-]
FOLDER = "rlpagefoldermarker"  # the folder below the top one (a tag's pages): [a-z0-9-]
TITLE = "RLPAGETITLEMARKER"
CONTENT = "RLPAGECONTENTMARKER"
MARKERS = re.compile(f"({SLUG}|{FOLDER}|{TITLE}|<h1>{CONTENT})")
SECTION = re.compile(r'<h2 id="([a-z0-9-]+)">([^<]*)</h2>')
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
HTML_BLOCK = re.compile(f"^{HTML_START}\n(.*?)\n{HTML_END}$", re.MULTILINE | re.DOTALL)
HELD = re.compile(r"<p>RLHTMLBLOCK(\d+)X</p>")
LATER = re.compile(r"<!--rlheld(\d+)-->")
HEADING = re.compile(r"<h[1-6]\b", re.IGNORECASE)
# Material's header and footer draw their icons as inline SVG: 3 KB of every paper page. In paper pages
# each becomes an empty <svg> (Material's CSS still sizes it) painted by a CSS mask from one stylesheet.
INLINE_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([0-9. ]+)">(.*?)</svg>', re.DOTALL)
ICONS_CSS = "assets/stylesheets/readinglist-icons.css"
MAIN_CSS = re.compile(r'<link rel="stylesheet" href="([^"]*)assets/stylesheets/main\.[^"]*">')
ICON_RULE = (
    ".rl-i{background-color:currentcolor;-webkit-mask:var(--rl-i) center/contain no-repeat;"
    "mask:var(--rl-i) center/contain no-repeat}\n"
)


@dataclass(frozen=True)
class PaperPage:
    """A page this plugin frames: a paper's, or one after the first of a long list (`cards.framed_place`)."""

    src: str  # absolute path of the page's Markdown file
    dest: str  # absolute path of its HTML file
    slug: str  # its name (a paper's slug, "2", "newest-2")
    url: str  # site-relative URL, as MkDocs gives it
    top: str = PAPERS  # its top folder: papers, all, tags
    folder: str = ""  # the folder between (a tag's slug), or ""

    @property
    def place(self) -> str:
        """Its docs path with the markers for folder and name: what its frame is rendered for."""
        return f"{self.top}/{FOLDER}/{SLUG}.md" if self.folder else f"{self.top}/{SLUG}.md"


def split_page(text: str, where: str) -> tuple[dict, str]:
    """A generated paper page -> (front matter, HTML body)."""
    match = FRONT.match(text)
    if match is None:
        raise PluginError(f"{where}: a paper page without front matter (run `readinglist generate`)")
    meta = simple_meta(match.group(1))  # the generator's own front matter, read back without YAML
    if meta is None:
        meta = yaml.load(match.group(1), Loader=LOADER)
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str):
        raise PluginError(f"{where}: a paper page without a title in its front matter")
    return meta, text[match.end() :]


def read_page(path: str) -> tuple[dict, str]:
    """A generated paper page's file -> (front matter, HTML body); PluginError when it is not UTF-8 text."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PluginError(
            f"{path}: not UTF-8 text (byte {exc.start}), so not as the generator wrote it: it was edited by hand; "
            "run `readinglist build --full`, which reports a generated page edited by hand"
        ) from None
    return split_page(text, path)


def kind_of(meta: dict, body: str) -> str:
    """What decides a paper page's frame besides its title, slug and content: its sections and other front matter."""
    rest = {k: v for k, v in meta.items() if k not in ("title", "tags")}
    return json.dumps([rest, SECTION.findall(body)], sort_keys=True)


def fill(parts: Sequence[str], slug: str, title: str, body: str, folder: str = "") -> str:
    """The frame's pieces with the markers replaced (`parts` alternates text and marker)."""
    values = {SLUG: slug, FOLDER: folder, TITLE: title, f"<h1>{CONTENT}": body}
    return "".join(values.get(part, part) if i % 2 else part for i, part in enumerate(parts))


def hold_blocks(markdown: str, hold: Callable[[str], str]) -> str:
    """HTML_BLOCK.sub(lambda m: hold(m.group(1)), markdown), with str.find: the regular expression took 0.7 ms
    on each 100 KB list page."""
    opening, closing = HTML_START + "\n", "\n" + HTML_END
    out, done, at = [], 0, 0
    while (start := markdown.find(opening, at)) >= 0:
        at = start + 1
        if start and markdown[start - 1] != "\n":
            continue  # not at the start of a line
        content = start + len(opening)
        end = markdown.find(closing, content)
        while end >= 0 and end + len(closing) < len(markdown) and markdown[end + len(closing)] != "\n":
            end = markdown.find(closing, end + 1)  # not at the end of a line
        if end < 0:
            continue
        out += (markdown[done:start], hold(markdown[content:end]))
        done = at = end + len(closing)
    out.append(markdown[done:])
    return "".join(out)


RAW_OPEN = re.compile(r"<(nav|ul|ol|p|div)[\s>]")
RAW_MARKUP = re.compile(r"\s(?:id|name|markdown)=")  # anchors MkDocs registers from raw HTML; md_in_html


def hold_raw_blocks(markdown: str, hold: Callable[[str], str]) -> str:
    """Raw HTML blocks that Python-Markdown would pass through as they are, held out of it like the card lists:
    its HTML parsers take time quadratic in a line's tags (50 ms for the 101-link pager of a page of All
    papers, 60 ms for the home page's tag chips). A block is held only when it is plainly one: one element of
    a few block-level kinds, starting a line after a blank line, with no blank line inside, ending a line
    before a blank line, holding no element of its own name, and no id, anchor name or `markdown` attribute
    (MkDocs collects the first two from raw HTML for its anchor checks)."""
    if "<" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    i, fenced = 0, False
    while i < len(lines):
        if lines[i].startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else RAW_OPEN.match(lines[i])
        if match is None or (i and lines[i - 1].strip()):
            out.append(lines[i])
            i += 1
            continue
        name, end = match.group(1), i
        while end < len(lines) and lines[end].strip() and not lines[end].endswith(f"</{name}>"):
            end += 1
        block = "\n".join(lines[i : end + 1])
        if (
            end == len(lines)
            or not lines[end].strip()
            or (end + 1 < len(lines) and lines[end + 1].strip())
            or len(re.findall(f"<{name}[\\s>]", block)) != 1
            or block.count(f"</{name}>") != 1
            or RAW_MARKUP.search(block)
        ):
            out.append(lines[i])
            i += 1
            continue
        out.append(hold(block + "\n"))  # what Python-Markdown would put in the page: the block, a blank line
        i = end + 1
    return "\n".join(out)


def skipped_by_search(block: str) -> bool:
    """True when Material's search skips all of `block`: one element whose start tag (as an HTML parser reads
    it) carries data-search-exclude, holding no other element of its name, no heading (a heading with an id
    starts a search section even in there) and no data-search- attribute that its clean-up would remove."""
    first = block[: block.find("\n")] if "\n" in block else block
    match = re.match(r"<([a-z]+)\b[^>]*>", first)
    if match is None or not block.rstrip("\n").endswith(f"</{match.group(1)}>"):
        return False
    found = FirstTag()
    found.feed(match.group(0))
    if found.attrs is None or "data-search-exclude" not in found.attrs or HEADING.search(block):
        return False
    name = match.group(1)
    return block.count(f"<{name}") == 1 and block.find("data-search-", match.end()) < 0


class FirstTag(HTMLParser):
    """The attributes of the first start tag fed, as Material's search parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if self.attrs is None:
            self.attrs = dict(attrs)


def write_if_changed(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    try:
        f = open(path, "wb")  # noqa: SIM115 - closed below
    except FileNotFoundError:  # its folder is new (a new page): one mkdir, or makedirs for a deeper one
        folder = os.path.dirname(path)
        try:
            os.mkdir(folder)
        except OSError:
            os.makedirs(folder, exist_ok=True)
        f = open(path, "wb")  # noqa: SIM115
    with f:
        f.write(data)
    return True


class PaperPages(BasePlugin):
    """MkDocs plugin: paper pages rendered from one theme frame (see the module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[PaperPage] = []  # every page it frames
        self.nav = None
        self.env = None
        self.files = None
        self.written = 0
        self.dirty = False
        self.held: dict[str, list[str]] = {}  # page -> its HTML blocks, between on_page_markdown and on_page_content
        self.generated: set[str] = set()  # src_uri of every page the generator wrote (its manifest)
        self.later: dict[str, dict[int, str]] = {}  # page -> blocks put back after Material's search read the page
        self.running: parallel.Started | None = None  # the paper pages' writers, from on_env to on_post_build

    def on_startup(self, *, command, dirty) -> None:
        self.dirty = dirty
        if dirty:
            toolchain.quiet_dirty_warning()  # `readinglist build` updates a kept site with --strict

    @toolchain.run_at(-100)  # after every plugin that adds or changes files
    def on_files(self, files, *, config):
        self.pages = []
        try:  # hand-written pages in papers/, all/ or tags/ are MkDocs' to render
            generated = read_manifest(Path(config.docs_dir))
        except GeneratorError as exc:
            raise PluginError(f"readinglist-pages: {exc}") from exc
        self.generated = set(generated)
        for file in toolchain.built_pages(files):
            uri = file.src_uri
            place = framed_place(uri)
            if place is not None and uri in generated:
                toolchain.leave_out_of_build(file)  # known to MkDocs, not built by it
                top, folder, name = place
                self.pages.append(PaperPage(file.abs_src_path, file.abs_dest_path, name, file.url, top, folder))
        self.files = files
        refuse_clashes(self.pages, toolchain.destinations(files), config)
        return files

    # Finished HTML blocks (cards.html_block) skip Python-Markdown: held out before it runs, put back after.
    @toolchain.run_at(-100)  # after every plugin that changes the Markdown
    def on_page_markdown(self, markdown, *, page, config, files):
        held: list[str] = []

        def hold(html: str) -> str:
            held.append(html)
            return f"\n\nRLHTMLBLOCK{len(held) - 1}X\n\n"

        markdown = hold_blocks(markdown, hold)
        if page.file.src_uri in self.generated:  # pages the generator wrote, never a hand-written one
            markdown = hold_raw_blocks(markdown, hold)
        self.held[page.file.src_uri] = held
        return markdown

    @toolchain.run_at(100)  # before every plugin that reads the HTML
    def on_page_content(self, html, *, page, config, files):
        held = self.held.pop(page.file.src_uri, [])
        if not held:
            return html
        # A block Material's search skips whole stays out until that plugin has read the page (on_page_context):
        # its HTML parser and its attribute clean-up took 1 s of the 520 list pages an update renders at 10,000
        # papers. An HTML comment, which its parser ignores as it ignores the block, holds the place.
        later = {}

        def put_back(match: re.Match[str]) -> str:
            number = int(match.group(1))
            block = held[number]
            if match.end() == len(html):
                block = block.rstrip("\n")  # Python-Markdown strips the end of a page
            if not skipped_by_search(block):
                return block
            later[number] = block
            return f"<!--rlheld{number}-->"

        html, count = HELD.subn(put_back, html)
        if count != len(held):
            raise PluginError(f"readinglist-pages: {page.file.src_uri}: an HTML block was lost in Markdown")
        if later:
            self.later[page.file.src_uri] = later
        return html

    @toolchain.run_at(-60)  # after Material's search plugin (0) and ours (-50), before the page's template
    def on_page_context(self, context, *, page, config, nav):
        later = self.later.pop(page.file.src_uri, None)
        if later:
            page.content, count = LATER.subn(lambda m: later[int(m.group(1))], page.content)
            if count != len(later):
                raise PluginError(f"readinglist-pages: {page.file.src_uri}: an HTML block was lost")
        return context

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    @toolchain.run_at(-100)  # after every plugin that changes the theme's environment
    def on_env(self, env, *, config, files):
        """Every page is read and the navigation is final: paper pages are written from here on, in forked
        workers, while MkDocs renders its own pages (on_post_build collects them). With one worker they are
        written in on_post_build, in this process."""
        toolchain.use_early_templates(env)  # compiled while the generator ran (`readinglist build`)
        self.env = env
        self.running = None
        if self.pages:
            workers = parallel.jobs(len(self.pages))
            # One slice per worker: a worker gets its next task only when this process asks for results.
            pieces = parallel.chunks(self.pages, workers)
            job = partial(write_slice, config=config, nav=self.nav, files=self.files, env=env, dirty=self.dirty)
            self.running = parallel.start([partial(job, piece) for piece in pieces], workers)
        return env

    def on_build_error(self, *, error) -> None:
        if self.running is not None:  # the build failed: stop writing its paper pages
            self.running.cancel()
            self.running = None

    # After the search plugins (0, -50), which read no page of the site, so that they build the search index
    # while the workers still write framed pages (at 10,000 papers they finish well after MkDocs' own pages);
    # before the offline plugin (-100), which reads the search index.
    @toolchain.run_at(-90)
    def on_post_build(self, *, config) -> None:
        if self.running is not None:
            self.collect(config)
        if self.dirty:
            remove_stale(Path(config.site_dir), self.kept(config))

    def collect(self, config) -> None:
        """The paper pages' writers' results: pages written, and the icons and shared chrome script their
        frames took out."""
        try:
            made, self.running = self.running.results(), None
        except GeneratorError as exc:  # a page writer was killed
            raise PluginError(f"readinglist-pages: {exc}") from None
        icons: dict[str, str] = {}
        scripts: set[str] = set()  # the shared chrome script (generator/chrome.py): one for every frame
        for _written, found, script in made:
            icons.update(found)
            scripts |= script
        if icons:  # (an update that changed no paper page keeps the last build's, from the same frame)
            write_if_changed(os.path.join(config["site_dir"], ICONS_CSS), icons_css(icons).encode())
        if len(scripts) > 1:
            raise PluginError("readinglist-pages: paper pages of different kinds have different chrome")
        for text in scripts:
            write_if_changed(os.path.join(config["site_dir"], chrome.CHROME_JS), text.encode())
        self.written = sum(written for written, _found, _script in made)
        toolchain.add_to_sitemap(config, [p.url for p in self.pages])

    def kept(self, config) -> set[str]:
        """What this build's site holds: every file MkDocs built, copied or skipped as unchanged, the theme's
        static pages (404.html, sitemap.xml), the framed pages, and what Material's plugins write after this
        plugin has tidied up (the search index: the last build's stays until it is rewritten; found missing,
        it made every kept path be resolved, 0.6 s at 10,000 papers)."""
        kept = set(toolchain.written_by_mkdocs(config, self.files)) | set(toolchain.written_later(config))
        if self.pages:
            kept.add(os.path.join(config["site_dir"], ICONS_CSS))
            kept.add(os.path.join(config["site_dir"], chrome.CHROME_JS))
        return kept | {p.dest for p in self.pages}


def refuse_clashes(pages: Sequence[PaperPage], written: list[tuple[str, str]], config) -> None:
    """PluginError when a file MkDocs writes (a hand-written docs/all/2/index.md, docs/papers/<slug>/index.md)
    lands where a framed page does: one would overwrite the other, which one depending on timing."""
    framed = {os.path.normpath(p.dest): p for p in pages}
    for src_uri, dest in written:
        page = framed.get(os.path.normpath(dest))
        if page is not None:
            mine = Path(os.path.relpath(page.src, config.docs_dir)).as_posix()
            site = Path(os.path.relpath(page.dest, config.site_dir)).as_posix()
            raise PluginError(
                f"readinglist-pages: {config.docs_dir}/{src_uri} and the generated {config.docs_dir}/{mine} would both "
                f"be {config.site_dir}/{site}: rename or move {src_uri}"
            )


def unchanged(page: PaperPage) -> bool:
    """The page's HTML is newer than its Markdown file (what MkDocs' dirty build asks of every page)."""
    try:
        return os.stat(page.dest).st_mtime_ns >= os.stat(page.src).st_mtime_ns
    except OSError:
        return False


def remove_stale(site: Path, kept: set[str]) -> None:
    """After an update (dirty build): delete what this build does not make, so that the kept site equals a full
    build. What is in `kept` stays (paths compared as written, then, for a file not found so, with symbolic links
    resolved: 10,000 realpath calls took 0.4 s), and so do the dot-files at the top (the site's marker and key)."""
    plain = {os.path.normpath(p) for p in kept}
    real: set[str] | None = None
    for folder, _dirs, names in os.walk(site, topdown=False):
        for name in names:
            path = os.path.join(folder, name)
            if folder == str(site) and name.startswith("."):
                continue
            if os.path.normpath(path) in plain:
                continue
            if real is None:
                real = {os.path.realpath(p) for p in kept}
            if os.path.realpath(path) in real:
                continue
            os.unlink(path)
        if folder != str(site) and not os.listdir(folder):
            os.rmdir(folder)


def write_slice(
    pages: Sequence[PaperPage], *, config, nav, files, env, dirty: bool
) -> tuple[int, dict[str, str], set[str]]:
    """Write these framed pages (those changed since the last build, when `dirty`), each framed by the theme's
    page for its place and kind, rendered once per kind here; (pages written, the icons the paper pages' frames
    took out, the shared chrome script of paper pages). The pages of lists keep their theme page as it is: it
    sits at another depth, so its chrome's links differ from the paper pages' script."""
    frames: dict[tuple[str, str], tuple[str, ...]] = {}
    icons: dict[str, str] = {}
    scripts: set[str] = set()
    written = 0
    for page in pages:
        if dirty and unchanged(page):
            continue  # an update: the frame is the last build's (the site key), and so is this page's file
        meta, body = read_page(page.src)
        kind = (page.place, kind_of(meta, body))
        if kind not in frames:
            made = frame(config, nav, files, env, meta, body, page.place)
            frames[kind] = lighten(made, icons, scripts) if page.top == PAPERS else made
        html = fill(frames[kind], page.slug, meta["title"], body, page.folder)
        written += write_if_changed(page.dest, html.encode("utf-8", errors="xmlcharrefreplace"))
    return written, icons, scripts


def frame(config, nav, files, env, meta: dict, body: str, place: str = f"{PAPERS}/{SLUG}.md") -> tuple[str, ...]:
    """The theme's page for a page of this kind at `place` (a docs path with markers for the folder and name),
    with markers for title and content too, cut at the markers."""
    sections = [{"level": 2, "id": i, "name": name, "children": []} for i, name in SECTION.findall(body)]
    output = toolchain.render_page(
        config,
        nav,
        files,
        env,
        src_uri=place,
        meta={**meta, "title": TITLE, "tags": []},
        content=f"<h1>{CONTENT}",
        toc=[{"level": 1, "id": SLUG, "name": TITLE, "children": sections}],
    )
    parts = tuple(MARKERS.split(output))
    if sum(1 for i, p in enumerate(parts) if i % 2 and p == f"<h1>{CONTENT}") != 1:
        raise PluginError("readinglist-pages: the theme's page does not show the page's content exactly once")
    return parts


def lighten(parts: tuple[str, ...], icons: dict[str, str], scripts: set[str] | None = None) -> tuple[str, ...]:
    """A paper page's frame made lighter, the page's own parts (markers, content) untouched: inline SVG
    icons become CSS-masked empty <svg> elements (`icons` collects class -> SVG for icons_css), the
    stylesheet that paints them is linked after Material's, indentation and blank lines go, and the
    chrome the theme marks moves into one script (`scripts`, when given, collects it; generator/chrome.py)."""

    def icon(match: re.Match[str]) -> str:
        name = "rl-i-" + hashlib.sha1(match.group(0).encode()).hexdigest()[:8]
        icons[name] = match.group(0)
        return f'<svg viewBox="{match.group(1)}" class="rl-i {name}" aria-hidden="true"></svg>'

    def light(part: str) -> str:
        part = INLINE_SVG.sub(icon, part)
        part = MAIN_CSS.sub(lambda m: f'{m.group(0)}<link rel="stylesheet" href="{m.group(1)}{ICONS_CSS}">', part)
        return re.sub(r"[ \t]*\n\s*", "\n", part)

    out = tuple(part if i % 2 else light(part) for i, part in enumerate(parts))
    if sum(ICONS_CSS in part for part in out) != 1:
        raise PluginError("readinglist-pages: the theme's page does not link Material's main stylesheet once")
    if scripts is None:
        return out
    try:
        out, script = chrome.externalize(out, MARKERS, TITLE)
    except chrome.ChromeError as exc:
        raise PluginError(f"readinglist-pages: {exc}") from exc
    scripts.add(script)
    return out


def icons_css(icons: dict[str, str]) -> str:
    """The stylesheet of the icons that `lighten` took out of paper pages, one class each."""
    rules = [
        f'.{name}{{--rl-i:url("data:image/svg+xml,{urllib.parse.quote(svg, safe=" /=:.")}")}}\n'
        for name, svg in sorted(icons.items())
    ]
    return ICON_RULE + "".join(rules)
