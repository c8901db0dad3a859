"""Session-wide test setup: the JACK server the bridge tests start is this run's own.

jackd and its clients (scsynth, jack_wait) use the server named by
``JACK_DEFAULT_SERVER``; giving each pytest run its own name keeps two runs on one
machine (or a musician's running JACK) from sharing, or stopping, each other's server.
"""

from __future__ import annotations

import os

os.environ.setdefault("JACK_DEFAULT_SERVER", f"psc-test-{os.getpid()}")
