"""The SuperCollider bridge from Python: launcher (jackd, scsynth, sclang), control client, onsets.

``Bridge`` (launcher.py) starts JACK if needed and sclang on
``supercollider/psc_bridge.scd``, waits until it answers, and stops everything on
exit. ``BridgeClient`` (client.py) talks to the bridge's control commands
(``/bridge/*``, ``/sim/*``) and sends the backend's own messages. ``onsets.py``
finds note onsets in a recorded WAV.
"""

from psc_looper.sc.client import BridgeClient
from psc_looper.sc.launcher import Bridge, BridgeConfig, BridgeError, SuperColliderMissing

__all__ = ["Bridge", "BridgeClient", "BridgeConfig", "BridgeError", "SuperColliderMissing"]
