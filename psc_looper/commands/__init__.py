"""One module per ``psc-looper`` subcommand; each has ``register(subparsers)``.

``register`` adds the subcommand's parser and sets ``func`` to a callable taking
the parsed arguments and returning the exit code.
"""
