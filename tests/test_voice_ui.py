"""Voice guidance in the window: the session hook, the engine process and the Settings group."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.session.voice import EngineSpec, FakeEngine, VoiceOptions
from acupressure_desktop.settings import BreathingPacer, Settings, SoundSettings, VoiceSettings
from acupressure_desktop.ui.chime import ChimePlayer
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
from acupressure_desktop.ui.voice import TEST_PHRASE, ProcessEngine, VoiceController, VoiceSettingsBox


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


PLAN = SessionPlan(
    routine_id="test",
    title="Test",
    steps=[Step(point="LI4", seconds=60, side=Side.BOTH), Step(technique="palm-press", seconds=60, side=Side.CENTER)],
    rating_label="Stress",
)
VOICED = Settings(voice=VoiceSettings(enabled=True))


def _voiced(
    catalog: Catalog, settings: Settings = VOICED
) -> tuple[SessionController, VoiceController, FakeEngine, FakeClock]:
    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    engine = FakeEngine(clock)
    voice = VoiceController(
        controller, catalog, engine, clock=clock, breathing_origin=lambda: 1000.0, parent=controller
    )
    voice.apply(settings)
    controller.load(PLAN)
    return controller, voice, engine, clock


def test_a_session_is_spoken_on_the_runners_clock(qtbot: QtBot, catalog: Catalog) -> None:
    controller, voice, engine, clock = _voiced(catalog)
    controller.start()
    assert engine.said == [
        (1000.0, "Step 1 of 2: Joining Valley. Left side first. " + engine.said[0][1].split("first. ")[1])
    ]
    assert voice.timers_active() == 1  # "ten seconds left" is planned
    clock.now += 20
    voice._poll()
    assert engine.said[-1] == (1020.0, "Ten seconds left.")
    clock.now += 10
    controller.update()
    assert engine.said[-1] == (1030.0, "Switch sides. Now the right side.")


def test_pause_and_stop_silence_at_once(qtbot: QtBot, catalog: Catalog) -> None:
    controller, voice, engine, clock = _voiced(catalog)
    controller.start()
    clock.now += 3
    controller.toggle()
    assert engine.hushed == [1003.0]
    assert voice.timers_active() == 0
    controller.toggle()
    assert voice.timers_active() == 1
    controller.stop()
    assert engine.hushed == [1003.0, 1003.0]
    assert voice.timers_active() == 0


def test_voice_off_says_nothing_and_the_chime_plays_only_without_voice(qtbot: QtBot, catalog: Catalog) -> None:
    chime = ChimePlayer()
    controller, voice, engine, _clock = _voiced(catalog, Settings())
    voice.apply(Settings(), chime)
    assert chime.enabled
    controller.start()
    assert engine.said == []
    voice.apply(VOICED, chime)
    assert not chime.enabled  # the voice is the cue: the two never overlap
    voice.apply(VOICED.updated(sounds=SoundSettings(enabled=False)), chime)
    assert not chime.enabled


def test_no_engine_stays_silent(qtbot: QtBot, catalog: Catalog) -> None:
    controller = SessionController(None, clock=FakeClock())
    voice = VoiceController(controller, catalog, None, parent=controller)
    chime = ChimePlayer()
    voice.apply(VOICED, chime)
    assert not voice.active and chime.enabled  # no voice: the chime stays the cue
    controller.load(PLAN)
    controller.start()
    controller.stop()


def test_breathing_cues_when_the_pacer_is_on(qtbot: QtBot, catalog: Catalog) -> None:
    settings = VOICED.updated(breathing=BreathingPacer(enabled=True, inhale_seconds=4, exhale_seconds=6))
    controller, voice, engine, clock = _voiced(catalog, settings)
    controller.start()
    for _ in range(12):
        clock.now += 2
        voice._poll()
    said = engine.said
    assert said[1:] == [
        (1010.0, "Breathe in."),
        (1014.0, "Breathe out."),
        (1020.0, "Ten seconds left."),
        (1024.0, "Breathe out."),
    ]
    # At 20 s "ten seconds left" and a breath in fall together: the breath cue gives way.


def test_settings_group_emits_its_values_and_tests_the_voice(qtbot: QtBot) -> None:
    engine = FakeEngine()
    box = VoiceSettingsBox(VoiceSettings(), lambda: 50, engine)
    qtbot.addWidget(box)
    assert "fake" in box.status.text()
    with qtbot.waitSignal(box.changed):
        box.enabled_box.setChecked(True)
    box.rate.setValue(150)
    box.volume.setValue(40)
    assert box.value() == VoiceSettings(enabled=True, volume=40, rate=150, voice="")
    box.test_voice.click()
    qtbot.waitUntil(lambda: len(engine.said) == 1)
    assert engine.said[0][1] == TEST_PHRASE
    box.set_value(VoiceSettings(voice="en-gb"))
    assert box.value().voice == "en-gb"  # kept even before the engine lists it


def test_settings_group_without_an_engine_says_so(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("acupressure_desktop.ui.voice.find_engine", lambda: None)
    box = VoiceSettingsBox(VoiceSettings(enabled=True), lambda: 50)
    qtbot.addWidget(box)
    assert box.engine is None
    assert "No speech engine" in box.status.text() and "silent" in box.status.text()
    assert not box.enabled_box.isEnabled() and not box.test_voice.isEnabled()
    assert box.test_sound.isEnabled()


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for the engine")
def test_process_engine_starts_without_waiting_and_hush_ends_it(qtbot: QtBot, tmp_path: Path) -> None:
    program = tmp_path / "engine"
    program.write_text(f'#!/bin/sh\necho "$@" > {tmp_path / "args"}\nexec sleep 30\n')
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    engine = ProcessEngine(EngineSpec("espeak-ng", str(program)))
    engine.say("Press now.", VoiceOptions(volume=100, rate=100))
    qtbot.waitUntil(lambda: (tmp_path / "args").is_file() and (tmp_path / "args").read_text() != "")
    assert (tmp_path / "args").read_text().split() == ["-a", "150", "-s", "175", "--", "Press", "now."]
    assert engine.speaking
    process = engine._process
    assert process is not None
    with qtbot.waitSignal(process.finished, timeout=5000):
        engine.hush()  # killed at once, not waited for
    assert not engine.speaking


def test_process_engine_with_a_missing_program_is_silent(qtbot: QtBot, tmp_path: Path) -> None:
    engine = ProcessEngine(EngineSpec("espeak-ng", str(tmp_path / "missing")))
    engine.say("Hello.", VoiceOptions())
    qtbot.waitUntil(lambda: not engine.speaking)


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for the engine")
def test_process_engine_shut_down_reaps_a_speaking_engine(qtbot: QtBot, tmp_path: Path) -> None:
    program = tmp_path / "engine"
    program.write_text("#!/bin/sh\nexec sleep 30\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    engine = ProcessEngine(EngineSpec("espeak-ng", str(program)))
    engine.say("One.", VoiceOptions())
    qtbot.waitUntil(lambda: engine.speaking)
    engine.say("Two.", VoiceOptions())  # the first is killed, the second starts
    qtbot.waitUntil(lambda: engine.speaking)
    engine.shut_down()
    assert not engine.speaking
    engine.deleteLater()  # no "destroyed while the process is still running" warning (it would fail the test)
    qtbot.wait(20)
