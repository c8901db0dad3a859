"""The README stays true: its protocol table, quick start and CI entry match the code."""

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
