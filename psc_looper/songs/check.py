"""What ``run`` would refuse in a song that its file alone does not show: its model
bundles, read as ``run`` reads them (``psc-looper song check``). Imports TensorFlow
(through magenta) only when the song names a bundle."""

from __future__ import annotations

from psc_looper.models.errors import BundleError
from psc_looper.songs.song import Song, SongError


def check_bundles(song: Song) -> None:
    """``SongError`` (the line ``run`` prints for the bundle) for the first bundle of
    ``song`` that ``run`` would refuse: missing, not a regular file, not a magenta bundle,
    or of the wrong kind."""
    from psc_looper.models.bundles import read_bundle
    from psc_looper.models.generators import DrumsModel
    from psc_looper.models.improv import ImprovModel, melody_model_class

    try:
        if song.melody_bundle is not None:
            read_bundle(song.melody_bundle, melody_model_class(song.melody_bundle).family)
        if song.improv_bundle is not None:
            read_bundle(song.improv_bundle, ImprovModel.family)
        if song.drums_bundle is not None:
            read_bundle(song.drums_bundle, DrumsModel.family)
    except BundleError as exc:
        raise SongError(str(exc)) from None
