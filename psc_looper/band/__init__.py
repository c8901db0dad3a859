"""The band: a walking bass and a drummer playing the chord chart (off by default).

``walker`` and ``drummer`` are pure; ``parts`` writes a loop's worth of their notes
from a chart; ``feature`` attaches it to the looper (``band_on``, ``band_style``).
"""

from psc_looper.band.feature import BandFeature
from psc_looper.band.options import BandOptions

__all__ = ["BandFeature", "BandOptions"]
