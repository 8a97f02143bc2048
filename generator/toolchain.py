"""The one door to MkDocs' and Material's internals: the site toolchain's upgrade checklist.

Everything readinglist uses of MkDocs 1.x and Material for MkDocs that they do not
promise (private names, undocumented objects, plugin order, file layouts) is in this
module or in the theme files listed below, and nowhere else. Material ends support in
May 2027 and MkDocs 1.x is unmaintained: a move (to another version, or to Zensical)
starts by going down this list.

The supported versions are SUPPORTED, pinned in pyproject.toml as well
(tests/test_toolchain.py keeps the two the same). `check_versions` compares them with the
installed packages when `readinglist build` or `serve` starts, and when MkDocs starts the
`readinglist-search` plugin (a bare `mkdocs build`): any other version stops with one
`error:` line, before a site is built that nobody has checked.

Python, here:
- `EarlyMkDocs` (`readinglist build`): `mkdocs build -f <config> ...`, run by `mkdocs.__main__.cli`
  in a child started before the generator (NO_MKDOCS_2_WARNING silences Material 9.7+'s end-of-life
  banner), which meanwhile imports MkDocs, loads the config with `load_config`
  (the plugins' `on_config` not run) and compiles the theme's templates from `config.theme.get_env()`
  into a Jinja bytecode cache (`jinja2.BytecodeCache`, `jinja2.meta.find_referenced_templates`), which
  readinglist-pages gives the build's environment in `on_env` (`use_early_templates`). It runs
  Material's search plugin's `on_config` on that config (its only effect read: the search settings
  `material_search_config` reads) and, told that docs/ is written (`prepare_search`, a JSON line that
  is no command), begins the papers' search part, which readinglist-search takes in `on_files`.
- `Preview` (`readinglist serve`): what mkdocs/commands/serve.py does, with our builder
  and our file watching: `mkdocs.livereload.LiveReloadServer` (builder callback,
  `error_handler`, `watch`, `serve`, `shutdown`), its private `_rebuild_cond` and
  `_want_rebuild` (a rebuild asked for by our own watcher, as its `watch` callback does),
  the private `mkdocs.livereload._serve_url` (the served `site_url`),
  `mkdocs.commands.build.build(config, serve_url=, dirty=)`, `load_config(site_dir=,
  strict=)` and the plugin events `on_startup`, `on_serve`, `on_shutdown`.
- `quiet_dirty_warning`: the "mkdocs.commands.build" logger and the text of MkDocs'
  dirty-build warning (DIRTY_WARNING), dropped at its source so `build --strict --dirty`
  does not abort; `written_by_mkdocs`: the inclusion levels of what MkDocs writes, its
  static templates and `sitemap.xml.gz`.
- `show_mkdocs_log`: the "mkdocs" logger, `mkdocs serve`'s message format, and the text
  of MkDocs' dirty-build warning (DIRTY_WARNING), filtered out.
- `material_search_config`: its plugin config's `lang`, `separator` and `pipeline` (filled in by
  its `on_config`), which it copies into its index's `config`; readinglist-search checks the two agree.
- `material_search_entries`: Material's search plugin object as
  `config.plugins["material/search"]`, and its `search_index.entries` list, to which it
  appends a page's entries in `on_page_context` at priority 0.
- Material's search parser (readinglist-pages holds card lists out of it): an element marked
  `data-search-exclude` is skipped whole, unless a heading with an id inside starts a section; HTML
  comments are ignored; its clean-up removes `data-search-*` attributes that have a value. A card list
  stands as an HTML comment until Material's search has read the page and goes back at priority -60.
- Python-Markdown's output for a raw HTML block (the block, then a blank line; the page's end trimmed),
  which readinglist-pages reproduces for the raw blocks it holds out of Markdown.
- `after_material_search`: plugin order. Material's search plugin writes
  `search/search_index.json` in `on_post_build` at priority 0 and its offline plugin
  inlines that file into `search_index.js` at priority -100; ours runs at -50, between, and
  readinglist-pages collects its page writers and tidies an updated site at -90.
- `written_later`: the files those two write then (the search plugin's `config.plugins` key
  `material/search`, the offline plugin's `material/offline` and its `enabled` option), which
  readinglist-pages keeps when it removes stale files from an updated site.
- `search_index_file`: where Material writes its index, and its shape
  (`{"config": {"lang", "separator", "pipeline", ...}, "docs": [{"location", "title",
  "text", "tags"}]}`, read and kept by generator/search_index.py).
- the readinglist-pages plugin (generator/paper_pages.py): `run_at` (plugin event order,
  `mkdocs.plugins.event_priority`); `built_pages` and `leave_out_of_build` (MkDocs 1.6's
  `InclusionLevel`: an EXCLUDED page stays in `files`, so links and search locations to it
  resolve, and is neither rendered nor copied); `render_page` (what
  `mkdocs.commands.build._build_page` does for one page: a `File` and a `Page` made by
  hand, `page.meta`, `page.content`, `page.toc` from `mkdocs.structure.toc.get_toc`,
  `get_context`, the `template:` front matter key, `page.active`), and `add_to_sitemap`
  (the layout of MkDocs' `sitemap.xml` template, one `<url>` with `<loc>` and `<lastmod>`
  per page, and `sitemap.xml.gz` written with the build's timestamp as gzip mtime).
- `add_theme_dir`: `config.theme.dirs`, the template search path of MkDocs' Theme, where
  generator/theme/ goes first.
- `exclude_from_search`: Material's `search.exclude` page metadata (documented), set in
  `on_page_markdown` before Material's search plugin reads it.

Theme files that must touch Material's internals:
- generator/theme/main.html: extends Material's `base.html` and string-replaces inside its
  blocks: `header` (the search dialog's `data-md-component="search" role="dialog"`),
  `config` (the hashed name of Material's worker, `assets/javascripts/workers/
  search.a7633da7.min.js`, which changes with every Material release, and the English
  strings "No matching documents", "1 matching document", "# matching documents"), and
  appends to `scripts`. A replacement that no longer matches changes nothing, silently:
  tests/test_search_index.py checks the worker's name in the built pages.
- generator/theme/assets/javascripts/workers/readinglist-search.js: speaks the message
  protocol of Material's search worker (SETUP 0 with `{config, docs}` -> READY 1,
  QUERY 2 -> RESULT 3 with `{items: [...]}` in the shape Material's search UI renders),
  and Material's query syntax (`+word`, `-word`, `title:`, `*`).
- generator/theme/assets/javascripts/readinglist-snippets.js: Material's search result
  markup (`.md-search-result__list`, `.md-search-result__item`,
  `a.md-search-result__link`, `input.md-search__input`).
- generator/theme/paper.html (paper pages): overrides base.html's `header`, `site_nav` and
  `footer` blocks, and writes the primary sidebar's markup itself (`md-sidebar--primary`,
  `data-md-component="sidebar"`, `data-md-type="navigation"`, `md-nav--primary`,
  `md-nav__list`, `md-nav__item`, `md-nav__link`, `md-ellipsis`, the `__drawer` toggle),
  which Material's CSS and JavaScript find by those names.
- generator/theme/paper.html also marks Material's header, sidebar, footer and `config` blocks as
  chrome (`<!--rl:chrome-->`) and drops the description and generator meta from `site_meta` by string
  replacement; generator/theme/partials/javascripts/base.html,
  generator/theme/partials/javascripts/content.html and generator/theme/partials/top.html are copies of
  Material 9.8.1's partials, marked as chrome (or left out) on paper pages only: copy the new files'
  lines on an upgrade (generator/chrome.py, issue 16).
- generator/theme/404.html: extends main.html and opens Material's search box from its own
  form (the `#__search` toggle, `input.md-search__input`).
- mkdocs.yml: Material's `extra.polyfills` (the iframe-worker shim of its offline plugin),
  `theme.font: false`, the `search` and `offline` plugins.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import GeneratorError

# Also pinned in pyproject.toml; tests/test_toolchain.py keeps the two the same.
SUPPORTED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.1"}
# Printed by MkDocs before every dirty build; serve means to build dirty, so it says nothing new.
DIRTY_WARNING = "A 'dirty' build is being performed"
# Ours, in MkDocs' logger tree: serve's messages look like MkDocs' own.
LOG = logging.getLogger("mkdocs.readinglist")


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def version_problem() -> str | None:
    """What is wrong with the installed toolchain, None when it is the supported one."""
    found = {name: installed_version(name) for name in SUPPORTED}
    if found == SUPPORTED:
        return None
    have = " and ".join(f"{name} {version or '(not installed)'}" for name, version in found.items())
    want = " and ".join(f"{name} {version}" for name, version in SUPPORTED.items())
    return (
        f"the site toolchain is {have}, but readinglist supports {want} only (pinned in pyproject.toml): "
        "run `make deps`. To upgrade, go through the checklist in generator/toolchain.py first"
    )


def check_versions() -> None:
    problem = version_problem()
    if problem is not None:
        raise GeneratorError(problem)


def mkdocs_env(offline: bool) -> dict[str, str]:
    """The environment MkDocs runs in: no end-of-life banner; mkdocs.yml switches the offline plugin on it."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", READINGLIST_OFFLINE="true" if offline else "false")


# --- readinglist build: MkDocs started early --------------------------------------------------------

# Where the build starts: the templates a page, a framed page (paper.html), the 404 page and the sitemap are
# rendered with, and what they include, extend or import (names computed at render time, such as icons, are
# compiled when first used, as before).
TEMPLATE_ROOTS = ("main.html", "paper.html", "404.html", "sitemap.xml")
_EARLY_TEMPLATES: Any = None  # in the early child: the bytecode cache its templates were compiled into
_EARLY_CONFIG: Any = None  # in the early child: the config it loaded, with Material's search settings filled in
_EARLY_SEARCH: Any = None  # in the early child: the papers' search part begun before the build (take_early_search)
PREPARE_SEARCH = "readinglist-prepare-search"  # EarlyMkDocs.prepare_search's line (never an MkDocs command)


class EarlyMkDocs:
    """MkDocs' command line in a child process, begun before the generator runs.

    The child imports MkDocs, Material and the plugins, loads the config and compiles the theme's templates
    while the generator works (about a second at 10,000 papers, most of it on the critical path of an
    update); then it waits. `run` gives it the command line and waits for its exit code. Leaving the `with`
    block without `run` (the generator failed, or the run was stopped) ends it before it built anything. The
    child reads nothing in docs/ before `run`: the generator may still be writing it. Warming is best effort:
    anything it cannot do, the build does as it always did.
    """

    def __init__(self, offline: bool = False, config: Path = Path("mkdocs.yml")) -> None:
        from generator.parallel import die_with_parent

        parent = os.getpid()
        self.config = config
        code = "from generator.toolchain import early_child; early_child()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(config)],
            stdin=subprocess.PIPE,
            env=mkdocs_env(offline),
            # It dies with this run (kill -9 included): an orphan would keep writing site/ after docs/'s lock
            # is gone, over the next run's site.
            preexec_fn=lambda: die_with_parent(parent),
        )

    def prepare_search(self) -> None:
        """docs/ is written: the child begins the papers' part of the search index now, in a worker of its own,
        while this process decides how to build and MkDocs starts up (one core does that alone: 1 to 2 s at
        10,000 papers). The build takes it only when it finds the same search input, settings, last words and
        page URLs (search_index.py)."""
        import json

        try:
            assert self.process.stdin is not None
            self.process.stdin.write((json.dumps([PREPARE_SEARCH]) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # it ended already (killed): `run` reports it

    def run(self, command: str, *args: str) -> int:
        """Run `mkdocs <command> -f <config> <args>` in the child; its exit code (negative: ended by a signal)."""
        import json

        line = json.dumps([command, "-f", str(self.config), *args]) + "\n"
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(line.encode("utf-8"))
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass  # it ended already (killed): its exit code says so
        return self.process.wait()

    def close(self) -> None:
        """End the child unless it has finished: before `run` it has written nothing; during `run` (the run was
        stopped) it is ended as `subprocess.call` ends a child it waits for."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        if self.process.returncode is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> EarlyMkDocs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def early_child() -> None:
    """The child of EarlyMkDocs: warm up, wait for the command line on stdin, run MkDocs' command line with it."""
    import json
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C while waiting: the parent ends this child
    _warm_up(sys.argv[1])
    line = sys.stdin.readline()
    while line.strip() == json.dumps([PREPARE_SEARCH]):
        _prepare_search()
        line = sys.stdin.readline()
    if not line.strip():
        return  # no build: the generator failed, or the run was stopped
    args = json.loads(line)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on, as `python -m mkdocs`
    from mkdocs.__main__ import cli

    try:
        cli.main(args=args, prog_name="mkdocs")
    except SystemExit as done:  # the build is written: leave without tearing down its objects one by one
        exit_now(done.code if isinstance(done.code, int) else (0 if done.code is None else 1))


def _prepare_search() -> None:
    """In the early child, told that docs/ is written: begin the papers' search part (best effort, silent)."""
    global _EARLY_SEARCH
    earlier = take_early_search()
    if earlier is not None:  # (one a run: EarlyMkDocs.prepare_search)
        earlier.job.cancel()
    if _EARLY_CONFIG is None:
        return
    try:
        from generator.search_index import prepare_papers_part

        _EARLY_SEARCH = prepare_papers_part(_EARLY_CONFIG)
    except Exception:  # noqa: BLE001, S110 - best effort: the build begins its own, as before
        pass


def take_early_search() -> Any:
    """What `_prepare_search` began (a search_index.Prepared), once; None when nothing was."""
    global _EARLY_SEARCH
    taken, _EARLY_SEARCH = _EARLY_SEARCH, None
    return taken


def exit_now(code: int) -> None:
    """End this process with `code` once its logging and output are flushed, without tearing down its objects
    one by one (a 10,000-paper run holds millions; its files and locks are closed and released by then)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that left (BrokenPipeError), a closed stream
            stream.flush()
    os._exit(code)


def _warm_up(config_file: str) -> None:
    """Import what the build imports and compile the theme's templates into `_EARLY_TEMPLATES`. Silent, and
    never fatal: the real build reports any problem with the config itself."""
    global _EARLY_TEMPLATES, _EARLY_CONFIG
    logging.disable(logging.CRITICAL)
    try:
        import mkdocs.__main__  # noqa: F401 - the command line, and what it imports
        import mkdocs.commands.build  # noqa: F401
        from mkdocs.config import load_config

        if config_data(Path(config_file)).get("hooks"):
            return  # a hook is the project's code: MkDocs runs it once a process, and only the build may
        config = load_config(config_file)
        if "readinglist-search" in config.plugins:  # its on_config adds generator/theme/ (not run here)
            from generator.search_index import THEME

            add_theme_dir(config, THEME)
        env = config.theme.get_env()
        env.bytecode_cache = early_template_cache()
        for name in theme_templates(env):
            env.get_template(name)
        _EARLY_TEMPLATES = env.bytecode_cache
        search = config.plugins.get("material/search")
        if search is not None and "readinglist-search" in config.plugins:
            search.on_config(config)  # its lang, separator and pipeline, filled in as the build's will be
            _EARLY_CONFIG = config  # (for _prepare_search: material_search_config reads them)
    except Exception:  # noqa: BLE001, S110 - best effort: the build compiles what was not compiled here
        pass
    finally:
        logging.disable(logging.NOTSET)


def config_data(config: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (its YAML tags, INHERIT merged), without validating it or running any of its
    code."""
    from mkdocs.utils.yaml import yaml_load

    with open(config, "rb") as fd:
        return yaml_load(fd)


def config_files(config: Path) -> list[Path]:
    """The files besides mkdocs.yml that go into every page (incremental.site_key): the files it INHERITs, its
    `hooks`, and every file of the theme's `custom_dir`; none when it cannot be read (MkDocs says why, and builds
    nothing). The INHERIT chain is walked here; hooks and custom_dir are read from the merged config."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    found: list[Path] = []
    try:
        path, seen = config, set()
        while path not in seen:  # the INHERIT chain, as yaml_load follows it
            seen.add(path)
            with open(path, "rb") as fd:
                raw = yaml.load(fd, Loader=get_yaml_loader()) or {}
            parent = raw.get("INHERIT") if isinstance(raw, dict) else None
            if not isinstance(parent, str):
                break
            path = Path(os.path.normpath(path.parent / parent))
            found.append(path)
        data = config_data(config)
        base = config.parent
        hooks = data.get("hooks") or []
        found += [base / hook for hook in hooks if isinstance(hook, str)]
        theme = data.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        if isinstance(custom, str) and (base / custom).is_dir():
            for folder, _dirs, names in sorted(os.walk(base / custom)):
                found += [Path(folder) / name for name in sorted(names)]
    except Exception:  # noqa: BLE001 - a config MkDocs cannot read: it says why, and builds nothing
        return []
    return found


def theme_templates(env: Any, roots: tuple[str, ...] = TEMPLATE_ROOTS) -> list[str]:
    """The templates `roots` use, directly or not, that the theme has: the roots first, then as found."""
    from jinja2 import TemplateNotFound, meta

    found: list[str] = []
    todo = list(roots)
    while todo:
        name = todo.pop(0)
        if name in found:
            continue
        try:
            source, _, _ = env.loader.get_source(env, name)
        except TemplateNotFound:
            continue
        found.append(name)
        todo.extend(n for n in meta.find_referenced_templates(env.parse(source)) if n)
    return found


def early_template_cache() -> Any:
    """A Jinja bytecode cache held in memory (jinja2 is imported only when one is made). Jinja checks each
    compiled template against its source; the key also holds the environment's compiler settings, so an
    environment set up otherwise compiles its own."""
    from jinja2 import BytecodeCache

    class EarlyTemplateCache(BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def get_bucket(self, environment, name, filename, source):
            return super().get_bucket(environment, f"{name}\0{compiler_settings(environment)}", filename, source)

        def load_bytecode(self, bucket) -> None:
            data = self.store.get(bucket.key)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    return EarlyTemplateCache()


def compiler_settings(env: Any) -> str:
    """What, besides a template's source, decides the code Jinja compiles it to."""
    return repr(
        (
            sorted(env.extensions),
            env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
            env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape), env.optimized,
        )
    )  # fmt: skip


def use_early_templates(env: Any) -> None:
    """In the build's process: its theme environment takes the templates compiled early (EarlyMkDocs), if any."""
    if _EARLY_TEMPLATES is not None and env.bytecode_cache is None:
        env.bytecode_cache = _EARLY_TEMPLATES


# --- readinglist serve -------------------------------------------------------------------------


class _QuietDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def show_mkdocs_log() -> None:
    """MkDocs' messages as `mkdocs serve` shows them (INFO and up, `LEVEL - message`)."""
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "name", "") == "readinglist-serve" for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.name = "readinglist-serve"
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    handler.addFilter(_QuietDirtyWarning())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class Preview:
    """`mkdocs serve --dirty` into a temporary folder, driven by readinglist serve.

    The caller gives the builder (generate, then `build`) and watches files itself,
    calling `rebuild_soon`; MkDocs' server debounces, runs the builder and reloads browsers.
    """

    def __init__(self, config_file: Path, host: str, port: int) -> None:
        from mkdocs.config import load_config
        from mkdocs.livereload import _serve_url

        show_mkdocs_log()
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        os.environ["READINGLIST_OFFLINE"] = "false"
        self.config_file = config_file
        self.host, self.port = host, port
        self.site_dir = tempfile.mkdtemp(prefix="readinglist-serve-")
        self._load_config = load_config
        self.config = load_config(config_file=str(config_file), site_dir=self.site_dir, strict=False)
        self.config.plugins.on_startup(command="serve", dirty=True)
        self.serve_url = _serve_url(host, port, urlsplit(self.config.site_url or "/").path)
        self.config.site_url = self.serve_url
        self.server: Any = None

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def watched(self) -> list[Path]:
        """mkdocs.yml's `watch:` list."""
        return [Path(p) for p in self.config.watch]

    def build(self, first: bool = False) -> None:
        """A dirty MkDocs build into the served folder; mkdocs.yml is read again unless `first`."""
        from mkdocs.commands.build import build

        config = self.config
        if not first:
            config = self._load_config(config_file=str(self.config_file), site_dir=self.site_dir, strict=False)
            config.site_url = self.serve_url
        build(config, serve_url=self.serve_url, dirty=True)

    def start(self, builder: Callable[[], None]) -> None:
        """The server, not yet serving: `rebuild_soon` works from here on."""
        from mkdocs.livereload import LiveReloadServer

        self.server = LiveReloadServer(builder=builder, host=self.host, port=self.port, root=self.site_dir)
        self.server.error_handler = self._error_page

    def _error_page(self, code: int) -> bytes | None:
        page = Path(self.site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    def rebuild_soon(self) -> None:
        """What LiveReloadServer.watch's own callback does (mkdocs 1.6.1); the server's loop debounces."""
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def serve(self, builder: Callable[[], None], watching: str) -> None:
        """Serve until interrupted."""
        # mkdocs.yml the way `mkdocs serve` watches it (polling one file); a server that watches
        # nothing also leaves the live-reload script out of its pages.
        self.server.watch(str(self.config_file))
        self.server = self.config.plugins.on_serve(self.server, config=self.config, builder=builder)
        LOG.info(f"Watching for changes: {watching}")
        try:
            self.server.serve()
        except KeyboardInterrupt:
            LOG.info("Shutting down...")
        finally:
            self.server.shutdown()

    def close(self) -> None:
        self.config.plugins.on_shutdown()
        shutil.rmtree(self.site_dir, ignore_errors=True)


# --- the readinglist-search plugin (generator/search_index.py) ------------------------------------


def after_material_search(method):
    """Run a plugin event after Material's search plugin (0), before its offline plugin (-100)."""
    from mkdocs.plugins import event_priority

    return event_priority(-50)(method)


def material_search_entries(config) -> list[dict] | None:
    """The entries Material's search plugin has made so far in this build (None: not found)."""
    search = config.plugins.get("material/search") if hasattr(config, "plugins") else None
    entries = getattr(getattr(search, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def material_search_config(config) -> dict | None:
    """The lang, separator and pipeline Material's search plugin will write in its index's config (its plugin
    config, filled in by its on_config); None when not found."""
    search = config.plugins.get("material/search") if hasattr(config, "plugins") else None
    settings = getattr(search, "config", None)
    try:
        return {key: settings[key] for key in ("lang", "separator", "pipeline")}
    except (KeyError, TypeError):
        return None


# What Material's search plugin does to every page's HTML after indexing it (`on_page_context`, at priority 0).
def search_index_file(config) -> Path:
    """Where Material's search plugin writes its index."""
    return Path(config.site_dir) / "search" / "search_index.json"


def written_later(config) -> list[str]:
    """What Material's plugins write in `on_post_build` that the readinglist-pages plugin must keep when it tidies
    the site (at priority -90): the search index (its search plugin, at 0, before it) and the script that inlines
    it (its offline plugin, at -100, after it, when enabled)."""
    plugins = getattr(config, "plugins", None) or {}
    if plugins.get("material/search") is None:
        return []
    paths = [search_index_file(config)]
    offline = plugins.get("material/offline")
    if offline is not None and getattr(offline, "config", {}).get("enabled"):
        paths.append(search_index_file(config).with_suffix(".js"))
    return [str(path) for path in paths]


def add_theme_dir(config, folder: Path) -> None:
    """Templates and assets in `folder` come before the theme's own."""
    config.theme.dirs.insert(0, str(folder))


def exclude_from_search(page) -> None:
    """Material's search plugin skips this page (its `search.exclude` metadata)."""
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}


# --- the readinglist-pages plugin (generator/paper_pages.py) --------------------------------------


def run_at(priority: int):
    """Run a plugin event at this priority (higher runs first; MkDocs' default is 0)."""
    from mkdocs.plugins import event_priority

    return event_priority(priority)


def built_pages(files) -> list:
    """The Markdown pages MkDocs will render in `mkdocs build`."""
    from mkdocs.structure.files import InclusionLevel

    return list(files.documentation_pages(inclusion=InclusionLevel.is_included))


def leave_out_of_build(file) -> None:
    """MkDocs keeps the file known (links and URLs to it resolve) but neither renders nor copies it."""
    from mkdocs.structure.files import InclusionLevel

    file.inclusion = InclusionLevel.EXCLUDED


def render_page(config, nav, files, env, *, src_uri: str, meta: dict, content: str, toc: list[dict]) -> str:
    """The theme's HTML for a page at `src_uri` with this front matter, content (HTML) and table of contents."""
    from mkdocs.commands.build import get_context
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import get_toc

    file = File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    page.meta = dict(meta)
    page.title = meta.get("title")
    page.content = content
    page.toc = get_toc(toc)
    context = get_context(nav, files, config, page)
    template = env.get_template(page.meta.get("template", "main.html"))
    page.active = True
    try:
        return template.render(context)
    finally:
        page.active = False


def add_to_sitemap(config, urls) -> None:
    """List more pages in sitemap.xml (and .gz) the way MkDocs listed its own (nothing when it listed none:
    without `site_url`)."""
    import gzip

    from markupsafe import escape

    site = Path(config.site_dir)
    path = site / "sitemap.xml"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    first = re.search(r"\n?\s*<url>.*?</url>", text, re.DOTALL)
    loc = re.search(r"<loc>(.*?)</loc>", first.group()) if first else None
    if first is None or loc is None or "</urlset>" not in text:
        return
    base = (config.site_url or "").rstrip("/") + "/"
    # markupsafe.escape is what the template's `|e` does to MkDocs' own entries.
    entries = "".join(first.group().replace(loc.group(1), str(escape(base + url))) for url in sorted(urls))
    text = text.replace("</urlset>", entries + "\n</urlset>", 1)
    path.write_text(text, encoding="utf-8")
    gz = site / "sitemap.xml.gz"
    if gz.is_file():
        stamp = int.from_bytes(gz.read_bytes()[4:8], "little")  # MkDocs' build timestamp
        with open(gz, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=stamp) as z:
            z.write(text.encode("utf-8"))


def destinations(files) -> list[tuple[str, str]]:
    """(src_uri, abs_dest_path) of every file MkDocs itself writes in this build (the included `files`)."""
    return [(f.src_uri, f.abs_dest_path) for f in files if f.inclusion.is_included()]


def written_by_mkdocs(config, files) -> list[str]:
    """Every file MkDocs itself puts in site/ in this build, skipped-as-unchanged included: pages, copies and theme
    assets (the included `files`), the theme's static templates (404.html, sitemap.xml with its .gz) and
    `extra_templates`. Plugins write theirs in `on_post_build`."""
    paths = [dest for _src, dest in destinations(files)]
    site = Path(config.site_dir)
    for name in [*config.theme.static_templates, *config.extra_templates]:
        paths.append(str(site / name))
        if name == "sitemap.xml":
            paths.append(str(site / "sitemap.xml.gz"))
    return paths


def quiet_dirty_warning() -> None:
    """MkDocs' warning that a dirty build may be inaccurate, dropped at its source: under --strict it would
    abort the build, and `readinglist build` makes a dirty build only when nothing else changed."""
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _QuietDirtyWarning) for f in logger.filters):
        logger.addFilter(_QuietDirtyWarning())
