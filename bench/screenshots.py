"""Screenshots of home, a tag page, a paper page and the queue: 1280 and 390 px, light and dark.

For a person to look at before and after a change to the site's look:

    python bench/screenshots.py SITE_DIR --prefix before   # artifacts/screenshots/before-*.png

The site is served compressed (bench/gzip_server.py); Chromium is Debian's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gzip_server import serve  # noqa: E402
from tests.browser.helpers import LAUNCH_ARGS, find_chromium, reader_pages  # noqa: E402

SCHEMES = ("light", "dark")
SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def targets(site: Path) -> dict[str, str]:
    pages = reader_pages(site)
    return {name: pages[name] for name in ("home", "tags", "tag", "paper", "queue", "all")}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--prefix", default="after")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "screenshots")
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(find_chromium()), args=LAUNCH_ARGS)
        for scheme in SCHEMES:
            for size, viewport in SIZES.items():
                ctx = browser.new_context(color_scheme=scheme, viewport=viewport, is_mobile=size == "390")
                page = ctx.new_page()
                for name, path in targets(args.site).items():
                    page.goto(base + path)
                    target = args.out / f"{args.prefix}-{name}-{size}-{scheme}.png"
                    page.screenshot(path=target, full_page=args.full)
                    print(target)
                ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
