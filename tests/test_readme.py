"""The README stays true: its protocol table, quick start and CI entry match the code, its
table of contents and links match its headings."""

import re
from pathlib import Path

from psc_looper.osc.protocol import INBOUND, Instrument

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_inbound_message_is_in_the_protocol_table_with_its_arguments():
    for spec in INBOUND.values():
        args = [a.name for a in spec.required] + [f"[{a.name}]" for a in spec.optional]
        row = " ".join([spec.address, *args])
        assert f"`{row}`" in README, row


def test_every_instrument_address_is_documented():
    for instrument in Instrument:
        assert re.search(rf"`[^`]*\b{instrument.value}\b[^`]*`", README), instrument


def test_quick_start_commands_exist_and_ci_runs_the_test_command():
    quick = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert len(commands) == 2
    makefile = (ROOT / "Makefile").read_text()
    for command in commands:
        target = command.removeprefix("make ").strip()
        assert re.search(rf"^{target}:", makefile, re.M), command
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = next(c for c in commands if "test" in c)
    assert re.search(rf"^exec {test_command}$", ci, re.M)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but '-' dropped, spaces '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of every ## and ### heading outside fenced code."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"^(#{2,3}) (.+)$", line)):
            found.append((len(match.group(1)), match.group(2)))
    return found


def test_the_table_of_contents_links_every_heading_after_it_in_order():
    before, after = README.split("## Contents\n", 1)
    toc, rest = after.split("\n## ", 1)
    links = re.findall(r"^( *)- \[([^\]]+)\]\(#([^)]+)\)$", toc, re.M)
    headings = _headings("## " + rest)
    assert [(2 + len(indent) // 2, anchor) for indent, _, anchor in links] == [
        (level, _slug(title)) for level, title in headings]
    slugs = [_slug(title) for _, title in _headings(before + "\n## " + rest)]
    assert len(slugs) == len(set(slugs)), "two headings share an anchor"


def test_every_link_inside_the_readme_points_at_a_heading():
    slugs = {_slug(title) for _, title in _headings(README)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", README))
    assert targets and targets <= slugs, targets - slugs


def test_the_player_sections_come_before_how_it_works():
    order = [title for level, title in _headings(README) if level == 2]
    assert order[:2] == ["Quick start", "Contents"]
    assert order.index("Playing live") == 2
    assert order.index("Demos") < order.index("How it works") < order.index(
        "Benchmarks and figures") < order.index("Development")


def test_the_slug_is_githubs():
    assert _slug("Charts (`--changes`) and models") == "charts---changes-and-models"
    assert _slug("Swing and the player's feel") == "swing-and-the-players-feel"
