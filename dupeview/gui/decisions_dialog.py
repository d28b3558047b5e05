"""The Decisions dialog: every "not duplicates" choice, listed by where each picture lives, and forgettable."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dupeview.core import decisions
from dupeview.core.decisions import Pair
from dupeview.core.jobs import Job, Report, Runner
from dupeview.core.locations import locate, root_names
from dupeview.core.progress import CancelToken
from dupeview.core.report import display_path
from dupeview.core.session import Session
from dupeview.gui.accessible import describe, describe_buttons
from dupeview.gui.i18n import number

PAIR_ROLE = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


def where(path: str, roots: Sequence[str], names: dict[str, str]) -> str:
    return display_path(str(locate(path, roots, names)))[0]


class DecisionsDialog(QDialog):
    """Lists the Session's dismissed pairs; "Forget" takes the selected ones back (they may group again)."""

    def __init__(self, session: Session, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.setWindowTitle(tr("Not duplicates"))
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([tr("This picture"), tr("is not a copy of")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        describe(self.tree, tr("Not duplicates"), tr("Each pair of pictures you said are not copies of each other"))
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.forget_button = QPushButton(tr("Forget selected"), self)
        self.forget_button.setToolTip(tr("These pictures may be shown as duplicates again"))
        buttons.addButton(self.forget_button, QDialogButtonBox.ButtonRole.ActionRole)
        describe_buttons(buttons)
        buttons.rejected.connect(self.reject)
        self.forget_button.clicked.connect(self.forget_selected)
        self.tree.itemSelectionChanged.connect(self._update)
        layout.addWidget(buttons)
        self.fill()

    def fill(self) -> None:
        roots = self.session.options.roots
        names = root_names(roots)
        self.tree.clear()
        for a, b in sorted(self.session.dismissed):
            item = QTreeWidgetItem([where(a, roots, names), where(b, roots, names)])
            item.setToolTip(0, display_path(a)[0])
            item.setToolTip(1, display_path(b)[0])
            item.setData(0, PAIR_ROLE, (a, b))
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        n = len(self.session.dismissed)
        self.intro.setText(tr("You said these pictures are not copies of each other ({n} pairs). They are never "
                              "grouped together; forget a choice to compare them again.").format(n=number(n)) if n
                           else tr("No \"not duplicates\" choice yet: press D on a group, or Shift+D on one copy."))
        self._update()

    def _update(self) -> None:
        self.forget_button.setEnabled(bool(self.tree.selectedItems()))

    def forget_selected(self) -> None:
        pairs = [item.data(0, PAIR_ROLE) for item in self.tree.selectedItems()]
        if pairs:
            forget(self.session, self.runner, pairs)
            self.fill()


def forget(session: Session, runner: Runner, pairs: Collection[Pair]) -> int:
    """Take "not duplicates" choices back: out of the Session and its decisions store; the pairs group again."""
    gone = {decisions.ordered(a, b) for a, b in pairs} & session.dismissed
    if not gone:
        return 0
    session.dismissed = session.dismissed - gone
    path = session.decisions_path

    def run(_report: Report, _cancel: CancelToken) -> None:
        with decisions.DecisionStore(path) as store:
            store.remove(gone)

    def failed(exc: BaseException) -> None:
        session.events.failed.emit(tr("Could not forget this choice: {why}").format(why=exc))
    runner(Job("decide", run, lambda _result: None, failed))
    session.regroup()
    return len(gone)
