"""Controllers: TOML maps from MIDI CCs to named looper actions."""
