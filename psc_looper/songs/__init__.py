"""Songs and set lists: what a song holds, its file (TOML beside a MIDI file), saving it live."""
