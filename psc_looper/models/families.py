"""Families: which magenta modules and classes serve MelodyRNN, ImprovRNN and DrumsRNN."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from psc_looper.models.compat import ensure_magenta


@dataclass(frozen=True)
class Family:
    """One magenta model family: its model configs and its sequence generator."""

    name: str  # magenta's folder name, e.g. "melody_rnn"
    model_module: str
    model_class: str
    generator_module: str
    generator_class: str
    pipeline_module: str

    def _module(self, name: str) -> Any:
        ensure_magenta()
        return import_module(name)

    def configs(self) -> dict[str, Any]:
        """Magenta's ``default_configs`` of this family, by config id."""
        configs: dict[str, Any] = self._module(self.model_module).default_configs
        return configs

    def generator_for_bundle(self, bundle: Any) -> Any:
        """Magenta's generator for ``bundle``, via the family's ``get_generator_map()``."""
        create = self._module(self.generator_module).get_generator_map()
        return create[bundle.generator_details.id](checkpoint=None, bundle=bundle)

    def generator_for_config(self, config: Any, checkpoint: str) -> Any:
        """Magenta's generator for a (possibly modified) ``config`` and a checkpoint."""
        model = getattr(self._module(self.model_module), self.model_class)(config)
        generator = getattr(self._module(self.generator_module), self.generator_class)
        return generator(
            model=model,
            details=config.details,
            steps_per_quarter=config.steps_per_quarter,
            checkpoint=checkpoint,
        )

    def pipeline(self, config: Any) -> Any:
        """Magenta's dataset pipeline (NoteSequence to SequenceExample) for ``config``."""
        return self._module(self.pipeline_module).get_pipeline(config, eval_ratio=0.0)


MELODY_RNN = Family(
    name="melody_rnn",
    model_module="magenta.models.melody_rnn.melody_rnn_model",
    model_class="MelodyRnnModel",
    generator_module="magenta.models.melody_rnn.melody_rnn_sequence_generator",
    generator_class="MelodyRnnSequenceGenerator",
    pipeline_module="magenta.models.melody_rnn.melody_rnn_pipeline",
)
DRUMS_RNN = Family(
    name="drums_rnn",
    model_module="magenta.models.drums_rnn.drums_rnn_model",
    model_class="DrumsRnnModel",
    generator_module="magenta.models.drums_rnn.drums_rnn_sequence_generator",
    generator_class="DrumsRnnSequenceGenerator",
    pipeline_module="magenta.models.drums_rnn.drums_rnn_pipeline",
)
IMPROV_RNN = Family(
    name="improv_rnn",
    model_module="magenta.models.improv_rnn.improv_rnn_model",
    model_class="ImprovRnnModel",
    generator_module="magenta.models.improv_rnn.improv_rnn_sequence_generator",
    generator_class="ImprovRnnSequenceGenerator",
    pipeline_module="magenta.models.improv_rnn.improv_rnn_pipeline",
)
FAMILIES = (MELODY_RNN, IMPROV_RNN, DRUMS_RNN)


def family_of(config_id: str) -> Family:
    """The family whose configs include ``config_id``; KeyError if none."""
    for family in FAMILIES:
        if config_id in family.configs():
            return family
    raise KeyError(config_id)
