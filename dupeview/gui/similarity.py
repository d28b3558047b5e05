"""The similarity slider by the core's named steps, plus the algorithm and rotation choice."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from dupeview.core import verify
from dupeview.core.fingerprint import ALGORITHMS

# The slider stops at the core's named steps (core/verify.py STEPS): pHash distances are always
# even, so each step is a distance that groups differently from the one before. English source
# texts marked for lupdate (str(): PySide6 types QT_TRANSLATE_NOOP as returning object); shown through _tr().
_CONTEXT = "SimilarityControl"
STEP_NAMES = {
    "Identical": str(QT_TRANSLATE_NOOP("SimilarityControl", "Identical")),
    "Near-identical": str(QT_TRANSLATE_NOOP("SimilarityControl", "Near-identical")),
    "Very close": str(QT_TRANSLATE_NOOP("SimilarityControl", "Very close")),
    "Close": str(QT_TRANSLATE_NOOP("SimilarityControl", "Close")),
    "Similar": str(QT_TRANSLATE_NOOP("SimilarityControl", "Similar")),
    "Loose": str(QT_TRANSLATE_NOOP("SimilarityControl", "Loose")),
    "Very loose": str(QT_TRANSLATE_NOOP("SimilarityControl", "Very loose")),
}
# (distance, name) per stop, from the core's table.
STEPS: tuple[tuple[int, str], ...] = tuple((distance, name) for name, distance in verify.STEPS)
ALGORITHM_LABELS = {
    "phash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Perceptual (pHash)")),
    "dhash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Gradient (dHash)")),
    "ahash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Average (aHash)")),
    "whash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Wavelet (wHash)")),
}
ALGORITHM_TIPS = {
    "phash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Best in most cases: survives resizing, recompression and colour changes")),
    "dhash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Compares brightness gradients: good for edits of one shot")),
    "ahash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Compares average brightness: strict, for resized copies")),
    "whash": str(QT_TRANSLATE_NOOP("SimilarityControl", "Wavelet-based: robust to heavy compression")),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def step_of(distance: int) -> int:
    """The stop for a threshold: the largest step at or below it (an odd pHash distance groups as the even one below)."""
    return max((k for k, (top, _name) in enumerate(STEPS) if top <= distance), default=0)


def step_name(distance: int) -> str:
    """The name of the step a threshold falls on, in the user's language."""
    name = STEPS[step_of(distance)][1]
    return _tr(STEP_NAMES.get(name, name))


def step_text(distance: int) -> str:
    """"Similar": the step's name alone. The one percentage the user sees is each pair's own similarity (on the
    cards and in the JSON, from the fine hashes); a slider % from the 64-bit distance would disagree with it."""
    return step_name(distance)


class SimilarityControl(QWidget):
    """`threshold_changed` at once on every slider step; `matching_changed` when algorithm or rotations change."""

    threshold_changed = Signal(int)
    matching_changed = Signal(str, bool)

    def __init__(self, threshold: int, algorithm: str, rotations: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        title = QLabel("<b>" + self.tr("Similarity") + "</b>", self)
        self.value_label = QLabel(self)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.value_label)
        layout.addLayout(head)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, len(STEPS) - 1)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        # The threshold as saved (settings, CLI, an opened review) until the slider moves: an odd
        # one stays what it was, shown on the step it groups like.
        self._threshold = max(0, min(threshold, STEPS[-1][0]))
        self.slider.setValue(step_of(self._threshold))
        self.slider.setToolTip(self.tr("How alike two pictures must be to count as copies, in named steps from "
                                       "Identical to Very loose.\nEach step lets fingerprints differ in two more bits "
                                       "of 64. Moving it regroups at once: no rescan."))
        self.slider.setAccessibleName(self.tr("Similarity threshold"))
        layout.addWidget(self.slider)
        ends = QHBoxLayout()
        strict = QLabel(step_name(STEPS[0][0]), self)
        loose = QLabel(step_name(STEPS[-1][0]), self)
        for w in (strict, loose):
            w.setEnabled(False)
        ends.addWidget(strict)
        ends.addStretch(1)
        ends.addWidget(loose)
        layout.addLayout(ends)

        form = QFormLayout()
        form.setContentsMargins(0, 6, 0, 0)
        self.algorithm = QComboBox(self)
        self.algorithm.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.algorithm.setMinimumContentsLength(14)
        for name in ALGORITHMS:
            self.algorithm.addItem(_tr(ALGORITHM_LABELS.get(name, name)), name)
            self.algorithm.setItemData(self.algorithm.count() - 1, _tr(ALGORITHM_TIPS.get(name, "")),
                                       Qt.ItemDataRole.ToolTipRole)
        self.algorithm.setCurrentIndex(max(0, self.algorithm.findData(algorithm)))
        self.algorithm.setToolTip(self.tr("Which fingerprint to compare. Changing it recompares the images already scanned."))
        self.algorithm.setAccessibleName(self.tr("Compare by"))
        self.algorithm.setAccessibleDescription(self.algorithm.toolTip())
        form.addRow(self.tr("Compare by:"), self.algorithm)
        self.rotations = QCheckBox(self.tr("Match rotated and mirrored copies"), self)
        self.rotations.setChecked(rotations)
        self.rotations.setToolTip(self.tr("Also group copies that were turned by 90°/180°/270° or mirrored"))
        self.rotations.setAccessibleName(self.rotations.text())
        self.rotations.setAccessibleDescription(self.rotations.toolTip())
        form.addRow(self.rotations)
        layout.addLayout(form)

        self.slider.valueChanged.connect(self._on_value)
        self.algorithm.currentIndexChanged.connect(lambda _i: self._emit_matching())
        self.rotations.toggled.connect(lambda _on: self._emit_matching())
        self._show_value(self._threshold)

    @property
    def threshold(self) -> int:
        """The largest fingerprint distance that counts as a copy (what the settings and the CLI store)."""
        return self._threshold

    def set_threshold(self, distance: int) -> None:
        """Show a threshold from elsewhere (an opened review); emits threshold_changed when it changes."""
        distance = max(0, min(distance, STEPS[-1][0]))
        with QSignalBlocker(self.slider):   # one threshold_changed, with this distance (it may be odd)
            self.slider.setValue(step_of(distance))
        if distance != self._threshold:
            self._threshold = distance
            self._show_value(distance)
            self.threshold_changed.emit(distance)

    @property
    def algorithm_name(self) -> str:
        return str(self.algorithm.currentData())

    def _show_value(self, distance: int) -> None:
        self.value_label.setText(step_text(distance))
        # What a screen reader says besides the slider's position (0-6): the step's name and what it means.
        self.slider.setAccessibleDescription(self.tr("{step}: fingerprints at most {d} of 64 bits apart").format(
            step=step_text(distance), d=STEPS[step_of(distance)][0]))

    def _on_value(self, stop: int) -> None:
        distance = STEPS[stop][0]
        if distance == self._threshold:
            return
        self._threshold = distance
        self._show_value(distance)
        self.threshold_changed.emit(distance)

    def _emit_matching(self) -> None:
        self.matching_changed.emit(self.algorithm_name, self.rotations.isChecked())
