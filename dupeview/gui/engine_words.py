"""The engine's English sentences in the user's language: why a file could not be read, why a job failed.

The engine writes these in English (core/decode.py, core/raw.py, core/workers.py, core/scanner.py, core/session.py):
they go to the cache, the JSON and the terminal as they are. The app matches each against the same sentence here,
with its {parts} as wildcards, and shows the translation with the parts put back (a part that is itself one of the
engine's words, such as "a named pipe", is translated too). A sentence not listed here is shown as it is.
"""

from __future__ import annotations

import re
from functools import cache

from dupeview.gui.i18n import N_, tr

# Every sentence the engine can give, word for word ({name} is a part that varies). A test checks this list
# against the engine's sources, so a new or changed sentence there fails until it is listed (and translated).
REASONS = (
    N_("file disappeared during the scan"),
    N_("permission denied"),
    N_("is a folder, not a file"),
    N_("image too large to decode safely (over {limit} megapixels)"),
    N_("not an image, or a format dupeview cannot read"),
    N_("image too large to decode within the memory budget (needs about {need} GiB of pixels; "
       "the limit is {limit} GiB)"),
    N_("not a regular file ({kind}); only files are read"),
    N_("not enough memory to decode this image"),
    N_("image is truncated (incomplete file)"),
    N_("cannot read: {why}"),
    N_("damaged image ({detail})"),
    N_("file too large (over 2 GiB)"),
    N_("file changed while it was being read"),
    N_("empty file (0 bytes)"),
    N_("damaged {format} image (cannot be decoded)"),
    N_("camera RAW support (rawpy) is not installed"),
    N_("damaged camera RAW (no picture in it)"),
    N_("unknown camera RAW: LibRaw cannot read it"),
    N_("RAW image too large to decode safely"),
    N_("damaged or truncated camera RAW (LibRaw could not read its picture data)"),
    N_("damaged camera RAW (LibRaw: {detail})"),
    N_("damaged camera RAW"),
    N_("timed out while reading (no answer within {limit} s); skipped"),
    N_("the image decoder crashed on this file"),
)
# core/session.py: a job that failed, "<sentence>: <the exception's own words>".
FAILURES = (
    N_("The scan stopped because of an unexpected error: {detail}"),
    N_("Comparing the images failed because of an unexpected error: {detail}"),
    N_("Grouping the images failed because of an unexpected error: {detail}"),
    N_("Filtering the groups failed because of an unexpected error: {detail}"),
    N_("Your earlier \"not duplicates\" choices could not be read: {detail}"),
    N_("Could not remember this choice: {detail}"),
    N_("Restoring the files failed: {detail}"),
    N_("The action log could not be read: {detail}"),
    N_("The saved review could not be opened: {detail}"),
    # f"{ACTION_VERBS[kind]} failed" (core/session_types.py)
    N_("Moving the files to the trash failed: {detail}"),
    N_("Deleting the files failed: {detail}"),
    N_("Moving the files failed: {detail}"),
    N_("Copying the files failed: {detail}"),
    N_("Replacing the files with hard links failed: {detail}"),
    N_("Replacing the files with symbolic links failed: {detail}"),
)
# core/safeio.kind(): what a non-regular file is, put into "not a regular file ({kind})".
KINDS = {
    "a named pipe": N_("a named pipe"),
    "a device": N_("a device"),
    "a socket": N_("a socket"),
    "a folder": N_("a folder"),
    "a symbolic link": N_("a symbolic link"),
    "not a file": N_("not a file"),
}


@cache
def _patterns(sentences: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for sentence in sentences:
        # the sentence, literally, with each {name} a lazy wildcard; the longest (most specific) sentences first
        body = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(sentence))
        out.append((re.compile(f"^{body}$", re.DOTALL), sentence))
    out.sort(key=lambda p: -len(p[1]))
    return tuple(out)


def reason(text: str) -> str:
    """The engine's reason `text` in the user's language; `text` itself when it is not one of the known ones."""
    return _translated(text, REASONS)


def failure(text: str) -> str:
    """A failed job's message (Session's `failed` event) in the user's language."""
    return _translated(text, FAILURES)


def _translated(text: str, sentences: tuple[str, ...]) -> str:
    for pattern, sentence in _patterns(sentences):
        found = pattern.match(text)
        if found:
            parts = {k: tr(KINDS[v]) if v in KINDS else v for k, v in found.groupdict().items()}
            return tr(sentence).format(**parts)
    return text
