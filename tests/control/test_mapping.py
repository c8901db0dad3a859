import pytest

from psc_looper.control.mapping import DEFAULT_MAP, MappingError, load_map


def test_default_map_is_the_original_nanokontrol2_layout():
    m = load_map(DEFAULT_MAP)
    assert m.source == "nanoKONTROL2" and m.channel == 0
    expected = {
        41: "play", 42: "stop", 16: "tempo", 32: "tap", 48: "mute:click",
        43: "bars_down", 44: "bars_up", 58: "numerator_down", 59: "numerator_up",
        61: "denominator_half", 62: "denominator_double",
        1: "volume:bass", 49: "mute:bass", 65: "mode:bass",
        34: "build_beat", 66: "generate_groove", 50: "mute:drums", 18: "drums_temperature",
        3: "volume:chords", 51: "mute:chords", 67: "mode:chords",
        4: "volume:improv", 36: "mode:free", 68: "mode:improv",
    }
    for cc, spec in expected.items():
        b = m.bindings[cc]
        assert (b.action + (f":{b.argument}" if b.argument else "")) == spec


def test_buttons_fire_on_press_only_and_continuous_controls_always():
    m = load_map(DEFAULT_MAP)
    assert m.lookup(41, 127) is not None and m.lookup(41, 0) is None
    assert m.lookup(16, 0).action == "tempo"
    assert m.lookup(100, 127) is None


def test_source_and_channel_identify_the_controller():
    m = load_map(DEFAULT_MAP)
    assert m.matches("nanoKONTROL2 SLIDER/KNOB", 0)
    assert not m.matches("Arturia KeyLab", 0)
    assert not m.matches("nanoKONTROL2", 3)
    assert m.matches("", 0)  # an older bridge that sends no source


@pytest.mark.parametrize(
    "text",
    [
        "[buttons]\nfoo = 'play'\n",
        "[buttons]\n200 = 'play'\n",
        "[buttons]\n41 = 3\n",
        "[buttons]\n41 = 'play'\n[continuous]\n41 = 'tempo'\n",
        "channel = 22\n",
        "this is not toml",
    ],
)
def test_bad_maps_are_named_errors_naming_the_file(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(MappingError, match=r"bad\.toml"):
        load_map(path)


def test_missing_map_file_is_a_named_error(tmp_path):
    with pytest.raises(MappingError, match=r"nowhere\.toml"):
        load_map(tmp_path / "nowhere.toml")


def test_another_controller_is_mapped_without_code(tmp_path):
    from psc_looper.app import BackendConfig
    from psc_looper.rig import VirtualRig

    path = tmp_path / "pedal.toml"
    path.write_text('name = "pedal"\nsource = "FootCtl"\n[buttons]\n64 = "toggle_play"\n')
    rig = VirtualRig(BackendConfig(controller_maps=[path]))
    rig.controller_source = "FootCtl USB"
    rig.press(64)
    assert rig.looper.snapshot().playing
    rig.press(64)
    assert not rig.looper.snapshot().playing
