"""The similarity slider with named steps and the numeric distance, plus the algorithm and rotation choice."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import DEFAULT_MAX_DISTANCE

# (largest distance of the step, its name); the steps a user thinks in.
# English source texts, marked for lupdate (str(): PySide6 types QT_TRANSLATE_NOOP as returning object); shown
# through _tr().
_CONTEXT = "SimilarityControl"

STEPS: tuple[tuple[int, str], ...] = (
    (0, str(QT_TRANSLATE_NOOP("SimilarityControl", "Identical"))),
    (2, str(QT_TRANSLATE_NOOP("SimilarityControl", "Near-identical"))),
    (4, str(QT_TRANSLATE_NOOP("SimilarityControl", "Very similar"))),
    (8, str(QT_TRANSLATE_NOOP("SimilarityControl", "Similar"))),
    (DEFAULT_MAX_DISTANCE, str(QT_TRANSLATE_NOOP("SimilarityControl", "Loose"))),
)
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


def step_name(distance: int) -> str:
    """The step's name in the user's language."""
    for top, name in STEPS:
        if distance <= top:
            return _tr(name)
    return _tr(STEPS[-1][1])


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
        self.slider.setRange(0, DEFAULT_MAX_DISTANCE)
        self.slider.setPageStep(2)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setValue(max(0, min(threshold, DEFAULT_MAX_DISTANCE)))
        self.slider.setToolTip(self.tr("How different two pictures may be and still count as copies.\n0 = identical pictures; 2 near-identical; 4 very similar; 6-8 similar; 10-{max} loose.\nMoving it regroups at once: no rescan.").format(max=DEFAULT_MAX_DISTANCE))  # noqa: E501
        self.slider.setAccessibleName(self.tr("Similarity threshold"))
        self.slider.setAccessibleDescription(self.tr("Largest fingerprint distance, in bits of 64, that still counts as a copy"))
        layout.addWidget(self.slider)
        ends = QHBoxLayout()
        strict = QLabel(_tr(STEPS[0][1]), self)
        loose = QLabel(_tr(STEPS[-1][1]), self)
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
        self._show_value(self.slider.value())

    @property
    def threshold(self) -> int:
        return self.slider.value()

    @property
    def algorithm_name(self) -> str:
        return str(self.algorithm.currentData())

    def _show_value(self, value: int) -> None:
        self.value_label.setText(f"{step_name(value)} · {value}")

    def _on_value(self, value: int) -> None:
        self._show_value(value)
        self.threshold_changed.emit(value)

    def _emit_matching(self) -> None:
        self.matching_changed.emit(self.algorithm_name, self.rotations.isChecked())
