"""Recorded sessions: the session MIDI format, the live recorder, replays and demos.

A session file is a standard type-1 MIDI file (see ``sessions.format``): a
conductor track with tempo and time-signature changes, one ``input: <source>``
track per input source holding the OSC input exactly (notes and CCs), and one
track per output part and player (``bass``, ``drums``, ``pianist``, ``machine``...).
"""
