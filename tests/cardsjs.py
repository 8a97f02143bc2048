"""tags/cards.js run in Node: the cards' HTML it makes (`window.rlCards`) and its digest."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest


def run_cards_js(script: str) -> tuple[list[str], str]:
    """(window.rlCards, window.rlCardsDigest) after running the script as a browser would."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (npm installs the site's shim; Node runs tags/cards.js here)")
    program = (
        "globalThis.window = globalThis;\n"
        + script
        + "\nprocess.stdout.write(JSON.stringify([rlCards, rlCardsDigest]));"
    )
    out = subprocess.run([node, "-"], input=program, capture_output=True, text=True, check=True).stdout
    cards, digest = json.loads(out)
    return cards, digest
