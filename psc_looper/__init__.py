"""psc-looper: a live AI jazz looper.

Package map (one concept per folder; lowest layer first, see the import contracts in
``pyproject.toml``):

- ``timing``      clocks (real and virtual), meter and loop structure, swing, tempo and tap
                  tempo
- ``osc``         the OSC protocol table, strict parser, typed input events, dispatcher,
                  UDP server and output ports
- ``harmony``     chord symbols, chord charts, chords inferred from notes
- ``models``      Magenta compatibility layer and the MelodyRNN / ImprovRNN / DrumsRNN models
- ``inference``   the NumPy engine: a bundle's checkpoint run without TensorFlow
- ``sc``          the SuperCollider bridge: launching, supervising, talking to it
- ``bundles``     the shipped models and their model card
- ``looper``      the loop engine: shared state, click track, recording, transport thread
- ``control``     controller maps (TOML, shipped ones in ``controllers``) turning CC events
                  into named actions
- ``drums``       the deterministic beat and DrumsRNN grooves (a feature)
- ``improv``      call and response with the melody and improv models (a feature)
- ``ui``          the status view
- ``config``      the performer's settings file, ``BackendConfig``
- ``sessions``    recording performances to MIDI and reading them back
- ``songs``       songs, set lists, saving and switching live
- ``training``    offline data, training and evaluation (``psc-looper train``)
- ``rig``         the whole instrument in-process: virtual rig, replays, demos
- ``commands``    one module per ``psc-looper`` subcommand (``cli`` parses the line)

Modules: ``host`` (the seam: what a feature may use and how it attaches), ``app`` (the
Backend that assembles the instrument and attaches the features), ``background`` (the
generation workers), ``files`` (atomic writes).
"""

__version__ = "0.1.0"
