"""Playing with others: MIDI clock out and in (and Ableton Link), one feature.

``SyncFeature`` (``feature``) plugs in through ``host.Feature``; ``options.SyncOptions``
says what runs. ``follow`` holds the pure arithmetic (pulse fit, steering),
``steering.Follower`` bends the loop onto a leader's grid at the next unsent step.
"""

from psc_looper.sync.feature import SyncFeature
from psc_looper.sync.options import SyncOptions, SyncSource

__all__ = ["SyncFeature", "SyncOptions", "SyncSource"]
