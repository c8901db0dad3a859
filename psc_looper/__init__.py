"""psc-looper: a live AI jazz looper.

Package map (one concept per folder):

- ``timing``   clocks (real and virtual), meter and loop structure, swing, tempo and tap tempo
- ``osc``      the OSC protocol table, byte-level dispatcher, UDP server and output ports
- ``looper``   the loop engine: shared state, click track, recording, transport thread
- ``control``  controller maps (TOML) turning CC events into looper actions
- ``models``   Magenta compatibility layer and the MelodyRNN / DrumsRNN generators
- ``drums``    the deterministic beat and DrumsRNN grooves
- ``improv``   MelodyRNN call and response
- ``sessions`` recording performances to MIDI and replaying them
- ``ui``       the status view
"""

__version__ = "0.1.0"
