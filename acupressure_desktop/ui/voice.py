"""Voice guidance in the window: the engine process, the session hook and the settings group.

What to say and when is decided by ``session/voice.VoiceGuide``; this module starts the
platform's speech program in a QProcess (never waiting for it), times the guide's cues
with one parented single-shot timer, and silences the engine at once on pause and stop.
While the voice is on it is the step cue, so the chime is left out and the two never
overlap. With no engine the settings group says so and the app stays silent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QProcess, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.session.runner import RunnerEvent, Snapshot
from acupressure_desktop.session.voice import (
    CHIME_SECONDS,
    NORMAL_WORDS_PER_SECOND,
    Action,
    Breathing,
    EngineSpec,
    Hush,
    Say,
    SpeechEngine,
    VoiceGuide,
    VoiceOptions,
    find_engine,
    parse_voices,
    scripts_for,
)
from acupressure_desktop.settings import BreathingPacer, Settings, VoiceSettings
from acupressure_desktop.ui.chime import ChimePlayer
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan

TEST_PHRASE = "This is how the steps will sound. Breathe in. Breathe out."


def options_of(voice: VoiceSettings) -> VoiceOptions:
    return VoiceOptions(volume=voice.volume, rate=voice.rate, voice=voice.voice)


def no_engine_text(platform: str = sys.platform) -> str:
    if platform == "win32":
        return "No speech engine was found (Windows PowerShell is needed). The app stays silent."
    if platform == "darwin":
        return "No speech engine was found (the say command is missing). The app stays silent."
    return (
        "No speech engine was found: install espeak-ng or speech-dispatcher to hear the steps. "
        "Until then the app stays silent."
    )


class ProcessEngine(QObject):
    """Says each text through the platform's speech program in its own process."""

    finishedSpeaking = Signal(float)  # clock time the program ended

    def __init__(self, spec: EngineSpec, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None):
        super().__init__(parent)
        self.spec = spec
        self._clock = clock
        self._process: QProcess | None = None
        self._ending: set[QProcess] = set()  # killed, not yet reaped

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def speaking(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def say(self, text: str, options: VoiceOptions) -> None:
        self._end_process()
        args, stdin = self.spec.say(text, options)
        process = QProcess(self)
        process.setProgram(self.spec.program)
        process.setArguments(args)
        process.setStandardOutputFile(QProcess.nullDevice())
        process.setStandardErrorFile(QProcess.nullDevice())  # an engine's complaints (no sound card) are not ours
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        process.start()
        if stdin is not None:
            process.write(stdin.encode("utf-8"))
            process.closeWriteChannel()

    def hush(self) -> None:
        self._end_process()
        stop = self.spec.stop()
        if stop is not None:
            QProcess.startDetached(stop[0], stop[1:])

    def shut_down(self) -> None:
        """Silence and reap every process before the app ends (a QProcess must not outlive its program)."""
        self._end_process()
        for process in list(self._ending):
            process.waitForFinished(500)
        self._ending.clear()

    def _end_process(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            self._ending.add(process)
            process.kill()  # the process object goes when it has ended (_on_finished)
        elif process is not None:
            process.deleteLater()

    @Slot()
    def _on_finished(self) -> None:
        process = self.sender()
        if isinstance(process, QProcess):
            self._ending.discard(process)
        if process is self._process:
            self._process = None
            self.finishedSpeaking.emit(self._clock())
        if isinstance(process, QProcess):
            process.deleteLater()

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        process = self.sender()
        if error == QProcess.ProcessError.FailedToStart and isinstance(process, QProcess):
            if process is self._process:
                self._process = None
            process.deleteLater()  # no engine after all: silent, never an error dialog


def system_engine(parent: QObject | None = None) -> ProcessEngine | None:
    spec = find_engine()
    return ProcessEngine(spec, parent=parent) if spec is not None else None


class VoiceController(QObject):
    """Speaks a running session: the session's events go to the guide, its actions to the engine."""

    def __init__(
        self,
        controller: SessionController,
        catalog: Catalog,
        engine: SpeechEngine | None,
        clock: Callable[[], float] = time.monotonic,
        breathing_origin: Callable[[], float] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.guide: VoiceGuide | None = None
        self._catalog = catalog
        self._clock = clock
        self._breathing_origin = breathing_origin or clock
        self._settings = VoiceSettings()
        self._pacer = BreathingPacer()
        self._events: list[RunnerEvent] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._poll)
        controller.sessionStarted.connect(self._on_started)
        controller.eventHappened.connect(self._on_event)
        controller.snapshotChanged.connect(self._on_snapshot)
        if isinstance(engine, ProcessEngine):
            engine.finishedSpeaking.connect(self._on_finished_speaking)
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(engine.shut_down)

    @property
    def active(self) -> bool:
        return self._settings.enabled and self.engine is not None

    def timers_active(self) -> int:
        return int(self._timer.isActive())

    def apply(self, settings: Settings, chime: ChimePlayer | None = None) -> None:
        """New settings; while the voice speaks the steps it is their cue, so the chime is left out."""
        was_active = self.active
        self._settings, self._pacer = settings.voice, settings.breathing
        if chime is not None:
            chime.enabled = settings.sounds.enabled and not self.active
        if was_active and not self.active:
            self._silence()
        if self.guide is not None:
            self.guide.words_per_second = NORMAL_WORDS_PER_SECOND * settings.voice.rate / 100

    @Slot(object)
    def _on_started(self, plan: SessionPlan) -> None:
        self._events.clear()
        breathing = None
        if self._pacer.enabled:
            breathing = Breathing(self._pacer.inhale_seconds, self._pacer.exhale_seconds, self._breathing_origin())
        self.guide = VoiceGuide(
            scripts_for(plan.steps, self._catalog.points, self._catalog.techniques),
            clock=self._clock,
            words_per_second=NORMAL_WORDS_PER_SECOND * self._settings.rate / 100,
            breathing=breathing,
        )

    @Slot(object)
    def _on_event(self, event: RunnerEvent) -> None:
        self._events.append(event)

    @Slot(object)
    def _on_snapshot(self, snapshot: Snapshot) -> None:
        events, self._events = self._events, []
        if self.guide is None or not events:
            return
        self._perform(self.guide.handle(events, snapshot))

    @Slot()
    def _poll(self) -> None:
        if self.guide is not None:
            self._perform(self.guide.poll())

    @Slot(float)
    def _on_finished_speaking(self, at: float) -> None:
        if self.guide is not None:
            self.guide.finished_speaking(at)

    def chime_played(self) -> None:
        """Something else played the chime: the next cue waits for it to end."""
        if self.guide is not None:
            self.guide.hold_until(self._clock() + CHIME_SECONDS)

    def _perform(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Hush):
                if self.engine is not None:
                    self.engine.hush()
            elif isinstance(action, Say) and self.active and self.engine is not None:
                self.engine.say(action.utterance.text, options_of(self._settings))
        self._schedule()

    def _schedule(self) -> None:
        due = self.guide.next_due() if self.guide is not None else None
        if due is None or not self.active:
            self._timer.stop()
            return
        self._timer.start(max(0, int((due - self._clock()) * 1000) + 1))

    def _silence(self) -> None:
        self._timer.stop()
        if self.engine is not None:
            self.engine.hush()


class VoiceSettingsBox(QGroupBox):
    """The Voice group of the settings: on/off, volume, rate, voice and the two test buttons."""

    changed = Signal()

    def __init__(
        self,
        voice: VoiceSettings,
        chime_volume: Callable[[], int],
        engine: SpeechEngine | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Voice guidance", parent)
        self.engine: SpeechEngine | None = engine if engine is not None else system_engine(self)
        self._chime_volume = chime_volume
        self._chime = ChimePlayer()
        self._loading = False
        self._chime_until = 0.0
        self._pending_test = QTimer(self)
        self._pending_test.setSingleShot(True)
        self._pending_test.timeout.connect(self._say_test)

        self.enabled_box = QCheckBox("Spea&k the steps, for practice with your eyes closed")
        self.enabled_box.setAccessibleName("Speak the steps")
        self.status = QLabel(
            f"Spoken on this computer by {self.engine.name}; nothing is sent anywhere. "
            "While the voice is on, it takes the place of the step chime."
            if self.engine is not None
            else no_engine_text()
        )
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setAccessibleName("Voice volume")
        self.volume_value = QLabel()
        self.rate = QSpinBox()
        self.rate.setRange(50, 200)
        self.rate.setSingleStep(10)
        self.rate.setSuffix(" %")
        self.rate.setAccessibleName("Speaking rate")
        self.voice = QComboBox()
        self.voice.setAccessibleName("Voice")
        self.voice.addItem("The engine's default voice", "")
        self.test_sound = QPushButton("Test sou&nd")
        self.test_sound.setAccessibleName("Play the step chime")
        self.test_voice = QPushButton("Test voi&ce")
        self.test_voice.setAccessibleName("Say a test phrase")
        for button in (self.test_sound, self.test_voice):
            button.setAutoDefault(False)

        form = QFormLayout(self)
        form.addRow(self.enabled_box)
        form.addRow(self.status)
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_value)
        form.addRow("Voice vo&lume:", volume_row)
        volume_label = form.labelForField(volume_row)
        if isinstance(volume_label, QLabel):
            volume_label.setBuddy(self.volume)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate)
        rate_row.addWidget(QLabel("of the engine's normal speed"), 1)
        form.addRow("Speaking spee&d:", rate_row)
        rate_label = form.labelForField(rate_row)
        if isinstance(rate_label, QLabel):
            rate_label.setBuddy(self.rate)
        form.addRow("&Which voice:", self.voice)
        tests = QHBoxLayout()
        tests.addWidget(self.test_sound)
        tests.addWidget(self.test_voice)
        tests.addStretch(1)
        form.addRow(tests)
        self._voiced = (self.volume, self.rate, self.voice, self.test_voice, self.enabled_box)

        self.set_value(voice)
        self.enabled_box.toggled.connect(self._on_change)
        self.volume.valueChanged.connect(self._on_change)
        self.rate.valueChanged.connect(self._on_change)
        self.voice.currentIndexChanged.connect(self._on_change)
        self.test_sound.clicked.connect(self.play_test_sound)
        self.test_voice.clicked.connect(self.play_test_voice)
        self._list_voices()

    def value(self) -> VoiceSettings:
        return VoiceSettings(
            enabled=self.enabled_box.isChecked(),
            volume=self.volume.value(),
            rate=self.rate.value(),
            voice=str(self.voice.currentData() or ""),
        )

    def set_value(self, voice: VoiceSettings) -> None:
        self._loading = True
        try:
            self.enabled_box.setChecked(voice.enabled)
            self.volume.setValue(voice.volume)
            self.rate.setValue(voice.rate)
            self._select_voice(voice.voice)
        finally:
            self._loading = False
        self._sync()

    def _select_voice(self, name: str) -> None:
        if self.voice.findData(name) < 0:
            self.voice.addItem(name, name)  # a voice not (yet) listed: keep the choice
        self.voice.setCurrentIndex(self.voice.findData(name))

    def _sync(self) -> None:
        self.volume_value.setText(f"{self.volume.value()} %")
        has_engine = self.engine is not None
        for widget in self._voiced:
            widget.setEnabled(has_engine)

    @Slot()
    def _on_change(self) -> None:
        self._sync()
        if not self._loading:
            self.changed.emit()

    @Slot()
    def play_test_sound(self) -> None:
        """The chime at the Sounds volume; the test voice waits for it."""
        if self.engine is not None:
            self.engine.hush()
        self._chime.set_volume(self._chime_volume())
        if self._chime.play():
            self._chime_until = time.monotonic() + CHIME_SECONDS
            if self._pending_test.isActive():
                self._pending_test.start(int(CHIME_SECONDS * 1000))

    @Slot()
    def play_test_voice(self) -> None:
        """A test phrase with the chosen volume, rate and voice, after the chime if one is playing."""
        self._pending_test.start(max(0, int((self._chime_until - time.monotonic()) * 1000)))

    @Slot()
    def _say_test(self) -> None:
        if self.engine is not None:
            self.engine.say(TEST_PHRASE, options_of(self.value()))

    def _list_voices(self) -> None:
        """Fill the voice list from the engine in the background (never waits for it)."""
        spec = self.engine.spec if isinstance(self.engine, ProcessEngine) else None
        if spec is not None:
            listing = VoiceListing.of(spec)
            listing.listed.connect(self._add_voices)
            listing.start()

    @Slot(list)
    def _add_voices(self, voices: list[tuple[str, str]]) -> None:
        chosen = str(self.voice.currentData() or "")
        self._loading = True
        try:
            for voice_id, label in voices:
                if self.voice.findData(voice_id) < 0:
                    self.voice.addItem(label, voice_id)
            self.voice.setCurrentIndex(max(0, self.voice.findData(chosen)))
        finally:
            self._loading = False


class VoiceListing(QObject):
    """The engine's voices, listed once per run by a short background process and kept."""

    listed = Signal(list)  # [(voice id, label)]
    _instances: ClassVar[dict[str, VoiceListing]] = {}

    def __init__(self, spec: EngineSpec) -> None:
        super().__init__(QCoreApplication.instance())  # outlives any dialog, so its process is never orphaned
        self.spec = spec
        self.voices: list[tuple[str, str]] | None = None
        self._process: QProcess | None = None

    @classmethod
    def of(cls, spec: EngineSpec) -> VoiceListing:
        if spec.program not in cls._instances:
            cls._instances[spec.program] = cls(spec)
        return cls._instances[spec.program]

    def start(self) -> None:
        if self.voices is not None:
            self.listed.emit(self.voices)
            return
        command = self.spec.list_voices()
        if command is None or self._process is not None:
            return
        process = QProcess(self)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        process.start(command[0], command[1:])

    @Slot()
    def _on_finished(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        output = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        process.deleteLater()
        self.voices = parse_voices(self.spec.name, output)
        self.listed.emit(self.voices)

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            self._process.deleteLater()
            self._process = None
            self.voices = []
