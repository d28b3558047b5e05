"""Translations: Qt's own (qtbase_<lang>.qm, for its dialogs and buttons) and dupeview's, chosen by the locale.

dupeview's catalogues are dupeview/resources/i18n/dupeview_<lang>.ts (edited with Qt Linguist or by hand) and
the .qm files `python3 packaging/translations.py` compiles from them (pyside6-lupdate then pyside6-lrelease);
both are shipped. English is the source language and needs no file.

How a string is marked: in a QObject subclass, self.tr("..."), filed under the class's name; anywhere else, the
module's tr("...") (this module's, or one of the same body), filed under the empty context, because that is where
lupdate puts a bare tr() call; a string kept in a table and shown later is marked N_("...") where it is written
(lupdate reads N_ as QT_TR_NOOP: packaging/translations.py says so) and shown with tr(text).
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dupeview.core.report import human_bytes

log = logging.getLogger(__name__)

CATALOGUE = "dupeview"
# lupdate files tr("...") outside a QObject method under no context, so that is where tr() looks it up.
CONTEXT = ""


def tr(text: str, disambiguation: str | None = None) -> str:
    """`text` in the user's language (the source text when the catalogue lacks it). `disambiguation` tells
    apart two uses of one English text that another language words differently (a narrow button, a heading)."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation)


def _locale() -> QLocale:
    # The C locale (a bare shell, CI) has no digit grouping; it reads best as English.
    here = QLocale()
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates) if here.language() == QLocale.Language.C \
        else here


def number(n: int) -> str:
    """A count with the user's digit grouping: 1,234 in English, 1.234 in German (where 1,234 is a decimal)."""
    return _locale().toString(int(n))


def decimal(x: float, places: int = 1) -> str:
    """A decimal with the user's separator: 1.5 in English, 1,5 in German."""
    return _locale().toString(float(x), "f", places)


def bytes_text(n: float) -> str:
    """A byte count in the user's number format, in core.report.human_bytes's units (1000-based)."""
    return human_bytes(n, decimal)


def N_(text: str) -> str:
    """Marks `text` for translation where it is written; show it with tr(text)."""
    return text


def catalogue_dir() -> str:
    return str(resources.files("dupeview.resources") / "i18n")


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load Qt's and dupeview's translations for `locale` (default: the system's) into `app`; returns those loaded.

    The translators are parented to the app, so they live as long as it does.
    """
    locale = locale or QLocale.system()
    loaded = []
    for name, folder in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         (CATALOGUE, catalogue_dir())):
        translator = QTranslator(app)
        # tries <name>_de_DE.qm, <name>_de.qm, ... for each of the locale's UI languages
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            loaded.append(translator)
        elif locale.language() not in (QLocale.Language.English, QLocale.Language.C):
            log.info("no %s translation for %s in %s", name, locale.name(), folder)
    return loaded
