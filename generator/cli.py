"""Command line: `readinglist generate | build | serve | tags`. Errors become `error: ...` and exit 1."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from functools import partial
from pathlib import Path

from generator import incremental
from generator.build import Options, check_docs_folder, feed_stamp, generate_held, make_catalogue, require_shim
from generator.errors import GeneratorError
from generator.models import Catalogue
from generator.report import print_problems, print_result
from generator.serve import serve
from generator.sources import read_yaml
from generator.tag_report import build_report, format_report
from generator.toolchain import EarlyMkDocs, check_versions, exit_now
from generator.writer import LOCK_WAIT, check_site_folder, claim_site_folder, docs_lock


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources", type=Path, default=Path("corpus/sources"), help="folder of raw listing files (*.txt)"
    )
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="MkDocs docs folder to write pages into")
    parser.add_argument("--tags", type=Path, default=Path("corpus/tags.yml"), help="tag taxonomy YAML file")
    parser.add_argument(
        "--overrides", type=Path, default=None, help="per-paper tag corrections (default: overrides.yml next to --tags)"
    )
    parser.add_argument("--strict", action="store_true", help="treat every warning as an error")
    add_year_option(parser)
    parser.add_argument(
        "--notes",
        type=Path,
        default=None,
        help="reading-list notes YAML (default: notes.yml beside the sources folder)",
    )


YEAR_SETTING = "READINGLIST_YEAR"


def add_year_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="the year of listings whose file name and first line give no date, such as a page that "
        f"says only 'Mar 11' (default: ${YEAR_SETTING}; otherwise the year stays unknown)",
    )


def default_year(args: argparse.Namespace) -> int | None:
    """--year, else the READINGLIST_YEAR setting, else None."""
    if args.year is not None:
        year = args.year
    else:
        value = os.environ.get(YEAR_SETTING, "").strip()
        if not value:
            return None
        try:
            year = int(value)
        except ValueError:
            raise GeneratorError(f"{YEAR_SETTING} must be a year such as 2025, not {value!r}") from None
    if not 1900 <= year <= 2999:
        raise GeneratorError(f"the year must be between 1900 and 2999, not {year}")
    return year


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readinglist", description="Turn raw paper listings into a searchable, tag-browsable static site."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = sub.add_parser("generate", help="write the paper, tag and home pages into docs/")
    add_input_options(gen)
    gen.add_argument("--offline", action="store_true", help="write papers.json URLs for the offline (file://) build")
    gen.add_argument("--timings", action="store_true", help="print the wall time of each pipeline stage")

    bld = sub.add_parser("build", help="generate, then build the site with MkDocs (strict)")
    add_input_options(bld)
    bld.add_argument("--site", type=Path, default=Path("site"), help="output folder for the built site")
    bld.add_argument(
        "--offline", action="store_true", help="build a site that works from disk (file://), search included"
    )
    bld.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration file")
    bld.add_argument("--timings", action="store_true", help="print the wall time of each generate stage")
    bld.add_argument(
        "--full",
        action="store_true",
        help="rebuild every page of the site and use nothing kept from earlier runs (default: only what changed, "
        "when the site folder was made by the same mkdocs.yml, generator, theme and hand-written pages)",
    )

    srv = sub.add_parser(
        "serve", help="generate and serve the site on 127.0.0.1; edits to the corpus or docs/ show up live"
    )
    add_input_options(srv)
    srv.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    srv.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration file")

    add = sub.add_parser(
        "add",
        help="save a listing (a file, or text pasted on standard input) into the sources folder "
        "as YYYY-MM-DD-title.txt and say which of its papers are new",
    )
    add.add_argument("file", nargs="?", default="-", help="the listing's text file, or - for standard input (default)")
    add.add_argument("--title", default=None, help="the listing's title (default: the input file's name)")
    add.add_argument("--sources", type=Path, default=Path("corpus/sources"), help="folder of raw listing files (*.txt)")
    add.add_argument("--date", default=None, help="the listing's date (YYYY-MM-DD) when it gives none (default: today)")
    add_year_option(add)

    tgs = sub.add_parser("tags", help="report papers per tag, untagged papers, broken limits and candidate phrases")
    add_input_options(tgs)
    tgs.add_argument("--check", action="store_true", help="exit 1 when a tag limit is broken (for CI)")
    tgs.add_argument(
        "--gold",
        type=Path,
        help="folder of blind-labelled evaluation sets (tests/fixtures/tag_eval): print precision, recall "
        "and the readers' agreement of every set, and related-paper precision",
    )
    return parser


def run_tags(args: argparse.Namespace) -> int:
    """`readinglist tags`: the tag health report; with --check, broken limits fail."""
    result = make_catalogue(
        Options(
            args.sources,
            tags=args.tags,
            overrides=args.overrides,
            strict=args.strict,
            notes=args.notes,
            year=default_year(args),
        )
    )
    cat = result.catalogue
    print_problems(result.problems)
    report = build_report(cat)
    print(format_report(report, cat))
    if args.gold is not None:
        print("\n" + quality_report(args.gold, cat))
    if args.check and report.broken:
        print(f"error: {len(report.broken)} tag limit(s) broken (see above)", file=sys.stderr)
        return 1
    return 0


def protected(options: Options, config: Path) -> list[tuple[str, Path]]:
    """What a site folder must never be or hold (MkDocs empties it): the inputs, the project, home, /."""
    notes, _ = options.notes_path
    project = config.absolute().parent
    places = [
        ("the sources folder", options.sources),
        ("the tags file", options.tags),
        ("the overrides file", options.overrides_path),
        ("the notes file", notes),
        ("the docs folder", options.docs),
        ("the MkDocs configuration", config),
        ("the project folder (where mkdocs.yml is)", project),
    ]
    repository = next((p for p in (project, *project.parents) if (p / ".git").exists()), None)
    if repository is not None:
        places.append(("the repository", repository))
    return [*places, ("your home folder", Path.home()), ("the root folder", Path("/"))]


def quality_report(folder: Path, cat: Catalogue) -> str:
    """`tags --gold FOLDER`: the live taxonomy scored on every evaluation set in FOLDER (*.yml but
    taxonomy.yml, rules.yml and related.yml); related papers of the catalogue scored on FOLDER/related.yml."""
    from generator.tag_eval import format_quality, judge_agreement, load_eval_set, load_judgements

    if not folder.is_dir():
        raise GeneratorError("expected a folder of evaluation sets (such as tests/fixtures/tag_eval)", str(folder))
    readers_taxonomy = folder / "taxonomy.yml"
    data = read_yaml(readers_taxonomy, required=True)
    if not isinstance(data, list) or not all(isinstance(t, dict) and isinstance(t.get("slug"), str) for t in data):
        raise GeneratorError("expected a list of tags with a 'slug' each", str(readers_taxonomy))
    slugs = [t["slug"] for t in data]
    sets = [
        load_eval_set(read_yaml(path, required=True), str(path), slugs)
        for path in sorted(folder.glob("*.yml"))
        if path.name not in ("taxonomy.yml", "related.yml", "rules.yml")
    ]
    judged = folder / "related.yml"
    judgements = related = judges = None
    if judged.is_file():
        data = read_yaml(judged, required=True)
        judgements, judges = load_judgements(data, str(judged)), judge_agreement(data)
        related = {cat.slugs[k]: tuple(cat.slugs[o] for o in others) for k, others in cat.related.items()}
    return format_quality(cat.tags, sets, judgements, related, judges)


def run_add(args: argparse.Namespace) -> int:
    """`readinglist add`: check the listing, save it under a dated name, report its new papers."""
    import datetime as dt

    from generator.adding import clean_title, listing_day, listing_stem, title_from_name, what_is_new
    from generator.parse import parse_listing
    from generator.sources import (
        decode_listing,
        drop_noncharacters,
        has_listings,
        looks_binary,
        read_listings,
        read_new_listing,
    )
    from generator.writer import save_listing

    year = default_year(args)
    if args.date is not None:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            raise GeneratorError(f"--date must be a date such as 2025-03-11, not {args.date!r}") from None
    path = None if args.file == "-" else Path(args.file)
    shown, data = read_new_listing(path, sys.stdin.buffer)
    if not data.strip():
        raise GeneratorError("the listing is empty: nothing was saved", shown)
    if looks_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GeneratorError("is a binary file, not a text listing: nothing was saved", shown)
    text, problems = decode_listing(shown, data)
    text, more = drop_noncharacters(shown, text)
    problems += more
    title = clean_title(args.title if args.title is not None else (title_from_name(path.name) if path else None))
    # Parse under the input's own name first: a dated input name (2025-03-11.txt) gives the date.
    entries, _ = parse_listing(path.name if path else "stdin.txt", text, year)
    if not entries:
        raise GeneratorError(
            "no entries found (no title followed by its abstract): nothing was saved. "
            "Check that this is a listing of papers",
            shown,
        )
    stem = listing_stem(listing_day(entries, dt.date.today(), args.date), title)
    name = f"{stem}.txt"
    entries, issues = parse_listing(name, text, year)
    existing = []
    if has_listings(args.sources):
        files, _ = read_listings(args.sources)
        for source in files:
            existing += parse_listing(source.name, source.text, year)[0]
    found = what_is_new(existing, entries)
    target = save_listing(args.sources, stem, text)
    print_problems(problems)
    for issue in issues:
        print(f"warning: {args.sources / target.name}:{issue.line}: {issue.message}", file=sys.stderr)
    repeated = f" + {found.repeated} repeated within it" if found.repeated else ""
    print(
        f"saved {target}: {found.entries} entries = {found.new} new papers + {found.known} already listed{repeated}"
        + (f"; {len(issues)} warnings" if issues else "")
    )
    print("run `make site` (or `readinglist build`) to publish it")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "tags":
        return run_tags(args)
    if args.command == "add":
        return run_add(args)
    offline = getattr(args, "offline", False)
    options = Options(
        args.sources,
        args.docs,
        args.tags,
        directory_urls=not offline,
        strict=args.strict,
        overrides=args.overrides,
        notes=args.notes,
        year=default_year(args),
        # build, serve: the project is mkdocs.yml's folder, wherever the command runs from (node_modules/ is there)
        project=args.config.parent if hasattr(args, "config") else Path("."),
    )
    if args.command in ("build", "serve"):
        check_versions()  # before generate: a site built with an unchecked MkDocs or Material is not published
    if args.command == "build":
        require_shim(offline, options.shim_path)
        check_site_folder(args.site, protected(options, args.config), options.docs)  # before generate touches docs/
    if args.command == "serve":
        return serve(options, args.port, args.config)
    check_docs_folder(options)  # before the lock: its file goes beside docs/
    # The lock is held through the MkDocs build too: MkDocs must not read docs/ while another run writes it.
    # A build also holds its site folder's, taken second: two builds from two docs/ folders into one site/
    # would empty and fill it over each other.
    with contextlib.ExitStack() as held:
        held.enter_context(docs_lock(options.docs, on_wait=partial(waiting, options.docs)))
        if args.command == "build":
            os.makedirs(args.site.parent, exist_ok=True)  # the lock goes beside it
            held.enter_context(docs_lock(args.site, on_wait=partial(waiting, args.site)))
        return generate_and_build(args, options, offline)


def waiting(docs: Path, pid: str) -> None:
    print(
        f"note: {docs}/: another readinglist run (pid {pid}) is using this folder; waiting up to {LOCK_WAIT:g} s",
        file=sys.stderr,
        flush=True,
    )


def generate_and_build(args: argparse.Namespace, options: Options, offline: bool) -> int:
    if getattr(args, "full", False):
        forget_work(options.docs)
    if args.command != "build":
        print_result(generate_held(options), timings=getattr(args, "timings", False))
        return 0
    # MkDocs starts now and gets ready while the generator works; it reads docs/ only once told to build.
    with EarlyMkDocs(offline, args.config) as mkdocs:
        result = generate_held(options)
        mkdocs.prepare_search()  # docs/ is written: the papers' search part begins while MkDocs gets ready
        print_result(result, timings=getattr(args, "timings", False))
        claim_site_folder(args.site)
        key = incremental.site_key(args.config, options.docs, offline)
        update = not args.full and incremental.can_update(args.site, key, options.docs)
        incremental.forget(args.site)
        dirty = ["--dirty"] if update else []
        code = mkdocs.run("build", "--strict", *dirty, "--site-dir", str(args.site))
    if code < 0:  # MkDocs' own errors it prints itself; a signal prints nothing
        raise GeneratorError(
            f"MkDocs was ended by signal {-code} (killed, or out of memory): {args.site}/ may be incomplete; "
            "run `readinglist build` again"
        )
    if code == 0:
        incremental.remember(args.site, key, options.docs)
        where = (args.site / "index.html").resolve()
        how = " (updated: only what changed was rebuilt)" if update else ""
        print(f"site: {args.site}/{how}" + (f" (open file://{where})" if offline else ""))
    return 1 if code else 0


def forget_work(docs: Path) -> None:
    """`build --full`: nothing from earlier runs is used. The kept work (tags, clean text, paper files, search
    words) and the state that lets a run stop early go; the manifest stays (it proves which files are ours)."""
    from generator.search_input import SEARCH_TERMS
    from generator.stored import FILES
    from generator.writer import STATE, WORK

    for name in (STATE, WORK, FILES, SEARCH_TERMS):
        path = docs / name
        if path.is_file() and not path.is_symlink():
            path.unlink()


def check_environment() -> None:
    """SOURCE_DATE_EPOCH, checked before anything imports numpy: its f2py reads the variable at import
    time and fails with a traceback on anything int() refuses (even an empty value)."""
    if "SOURCE_DATE_EPOCH" in os.environ and not os.environ["SOURCE_DATE_EPOCH"].strip():
        del os.environ["SOURCE_DATE_EPOCH"]  # empty means unset, here as in feed_stamp
    feed_stamp()


def main(argv: list[str] | None = None) -> int:
    # Messages quote file names and text from the listings: never fail on a terminal that cannot show them.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = make_parser().parse_args(argv)
    try:
        check_environment()
        return run(args)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output's reader left (`readinglist build | head -1`): say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # one no check foresaw (a folder made read-only, a full disk): the file and why
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def entry() -> None:
    """The `readinglist` command: main(), then leave without tearing down the run's objects (toolchain.exit_now)."""
    exit_now(main())


if __name__ == "__main__":
    entry()
