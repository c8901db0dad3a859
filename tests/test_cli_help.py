"""Every option of every subcommand says what it does, and ``--version`` names the package's."""

import argparse
from importlib.metadata import version

import pytest

from psc_looper.cli import build_parser, main


def _parsers(parser: argparse.ArgumentParser, name: str = "psc-looper"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def _undocumented(parser: argparse.ArgumentParser) -> list[str]:
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
            missing.append("/".join(action.option_strings) or action.dest)
    return missing


def test_every_option_and_argument_of_every_subcommand_has_help():
    walked = list(_parsers(build_parser()))
    assert len(walked) > 5  # the subcommands were reached
    missing = {name: m for name, parser in walked if (m := _undocumented(parser))}
    assert not missing


def test_every_subcommand_has_a_one_line_help():
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            assert set(helps) == set(action.choices)
            assert all(helps.values()), helps


def test_the_walker_finds_an_option_without_help():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare")
    assert _undocumented(parser) == ["--bare"]


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"psc-looper {version('psc-looper')}"
