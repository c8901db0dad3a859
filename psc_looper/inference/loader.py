"""Loader: a ``.mag`` bundle to an :class:`EngineGenerator`, or a reason it cannot be one.

``load_generator`` raises ``UnsupportedBundle`` for a sound bundle the engine does not
run (an unknown config, a model part it does not implement: the caller may fall back
to magenta), ``BundleError``/``CheckpointError`` for a bundle nobody can run.
"""

from __future__ import annotations

from pathlib import Path

from psc_looper.inference.checkpoint import read_checkpoint
from psc_looper.inference.configs import CONFIGS, configs_of
from psc_looper.inference.errors import UnsupportedBundle
from psc_looper.inference.generator import EngineGenerator
from psc_looper.inference.metagraph import attention_length
from psc_looper.inference.network import Network
from psc_looper.inference.search import EventSearch
from psc_looper.models.bundles import parse_bundle, wrong_family
from psc_looper.models.errors import BundleError

ATTENTION_SIZE = "/attention_cell_wrapper/attn_output_projection/bias"


def load_generator(path: str | Path, family: str) -> EngineGenerator:
    """The engine's generator for the ``family`` bundle at ``path``."""
    path = Path(path)
    bundle = parse_bundle(path)
    config_id = bundle.generator_details.id
    config = CONFIGS.get(config_id)
    if config is None:
        raise UnsupportedBundle(f"{path}: config '{config_id}' is not one the engine runs")
    if config.family != family:
        raise wrong_family(path, config_id, config.family, family, configs_of(family))
    try:
        checkpoint = read_checkpoint(bundle.checkpoint_file[0])
        sizes = [t.shape[0] for n, t in checkpoint.tensors.items() if n.endswith(ATTENTION_SIZE)]
        length = attention_length(bundle.metagraph_file, sizes[0]) if sizes else 0
        network = Network(checkpoint, length)
        encoder = config.encoder_decoder()
    except BundleError as e:
        raise type(e)(f"{path}: cannot restore the model: {e}") from e
    if (encoder.input_size, encoder.num_classes) != (network.input_size, network.num_classes):
        raise BundleError(
            f"{path}: cannot restore the model: '{config_id}' encodes {encoder.input_size} "
            f"inputs and {encoder.num_classes} classes, the network has "
            f"{network.input_size} and {network.num_classes}"
        )
    return EngineGenerator(config, EventSearch(network, encoder))
