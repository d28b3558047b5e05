<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation>Durchsuchen</translation>
    </message>
    <message>
        <source>One pattern per line, e.g.  *.gif  or  */exports/*</source>
        <translation>Ein Muster pro Zeile, z. B.  *.gif  oder  */exports/*</translation>
    </message>
    <message>
        <source>Files and folders whose name or path matches one of these patterns are skipped</source>
        <translation>Dateien und Ordner, deren Name oder Pfad zu einem dieser Muster passt, werden übersprungen</translation>
    </message>
    <message>
        <source>Skip names matching:</source>
        <translation>Namen überspringen, die passen zu:</translation>
    </message>
    <message>
        <source>Skip a folder</source>
        <translation>Einen Ordner überspringen</translation>
    </message>
    <message>
        <source>Skip these folders:</source>
        <translation>Diese Ordner überspringen:</translation>
    </message>
    <message>
        <source> KB</source>
        <translation> KB</translation>
    </message>
    <message>
        <source>Ignore images smaller than this (icons, thumbnails)</source>
        <translation>Bilder ignorieren, die kleiner sind (Symbole, Vorschaubilder)</translation>
    </message>
    <message>
        <source>Ignore files smaller than:</source>
        <translation>Dateien ignorieren, kleiner als:</translation>
    </message>
    <message>
        <source>Include hidden files and folders</source>
        <translation>Versteckte Dateien und Ordner einbeziehen</translation>
    </message>
    <message>
        <source>Follow symbolic links</source>
        <translation>Symbolischen Verknüpfungen folgen</translation>
    </message>
    <message>
        <source>Skip trash, version-control and thumbnail folders</source>
        <translation>Papierkorb-, Versionsverwaltungs- und Vorschaubild-Ordner überspringen</translation>
    </message>
    <message>
        <source>Choosing the copy to keep</source>
        <translation>Welche Kopie behalten wird</translation>
    </message>
    <message>
        <source>Prefer copies in a folder</source>
        <translation>Kopien in einem Ordner bevorzugen</translation>
    </message>
    <message>
        <source>For the keep rule “In a preferred folder”: copies here are kept first (top = best)</source>
        <translation>Für die Regel „In einem bevorzugten Ordner“: Kopien hier werden zuerst behalten (oben = am besten)</translation>
    </message>
    <message>
        <source>Preferred folders:</source>
        <translation>Bevorzugte Ordner:</translation>
    </message>
    <message>
        <source>For the keep rule “Preferred format”: formats in order, best first</source>
        <translation>Für die Regel „Bevorzugtes Format“: Formate der Reihe nach, das beste zuerst</translation>
    </message>
    <message>
        <source>Preferred formats:</source>
        <translation>Bevorzugte Formate:</translation>
    </message>
    <message>
        <source>Show only groups with a copy in a reference folder</source>
        <translation>Nur Gruppen mit einer Kopie in einem Referenzordner zeigen</translation>
    </message>
    <message>
        <source>Useful to clean a backup against protected originals</source>
        <translation>Nützlich, um eine Sicherung gegen geschützte Originale aufzuräumen</translation>
    </message>
    <message>
        <source>Removing files</source>
        <translation>Dateien entfernen</translation>
    </message>
    <message>
        <source>Delete permanently instead of moving to the trash</source>
        <translation>Endgültig löschen statt in den Papierkorb zu verschieben</translation>
    </message>
    <message>
        <source>Off by default. Permanently deleted files cannot be restored, not even with Undo.</source>
        <translation>Standardmäßig aus. Endgültig gelöschte Dateien lassen sich nicht wiederherstellen, auch nicht mit Rückgängig.</translation>
    </message>
    <message>
        <source>Files are normally moved to the system trash, where they can be restored.</source>
        <translation>Dateien werden normalerweise in den Papierkorb des Systems verschoben, wo sie wiederhergestellt werden können.</translation>
    </message>
    <message>
        <source>Skip names matching</source>
        <translation>Namen überspringen, die passen zu</translation>
    </message>
    <message>
        <source>Skip these folders</source>
        <translation>Diese Ordner überspringen</translation>
    </message>
    <message>
        <source>Folders that are never searched</source>
        <translation>Ordner, die nie durchsucht werden</translation>
    </message>
    <message>
        <source>Ignore files smaller than</source>
        <translation>Dateien ignorieren, kleiner als</translation>
    </message>
    <message>
        <source>Also search files and folders whose names start with a dot</source>
        <translation>Auch Dateien und Ordner durchsuchen, deren Name mit einem Punkt beginnt</translation>
    </message>
    <message>
        <source>Follow links to files and folders (loops are detected)</source>
        <translation>Verknüpfungen zu Dateien und Ordnern folgen (Schleifen werden erkannt)</translation>
    </message>
    <message>
        <source>Preferred folders</source>
        <translation>Bevorzugte Ordner</translation>
    </message>
    <message>
        <source>Preferred formats</source>
        <translation>Bevorzugte Formate</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen …</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Choose a folder to add to the list above</source>
        <translation>Einen Ordner wählen und der Liste oben hinzufügen</translation>
    </message>
    <message>
        <source>Remove the selected folders</source>
        <translation>Die ausgewählten Ordner entfernen</translation>
    </message>
    <message>
        <source>Take the selected folders out of the list above</source>
        <translation>Die ausgewählten Ordner aus der Liste oben nehmen</translation>
    </message>
    <message>
        <source>Delete permanently?</source>
        <translation>Endgültig löschen?</translation>
    </message>
    <message>
        <source>With this setting, “Trash marked” deletes files for good: they do not go to the trash and cannot be restored.

Turn on permanent deletion?</source>
        <translation>Mit dieser Einstellung löscht „Markierte in den Papierkorb“ Dateien endgültig: Sie kommen nicht in den Papierkorb und lassen sich nicht wiederherstellen.

Endgültiges Löschen einschalten?</translation>
    </message>
</context>
<context>
    <name>SimilarityControl</name>
    <message>
        <source>Identical</source>
        <translation>Identisch</translation>
    </message>
    <message>
        <source>Near-identical</source>
        <translation>Fast identisch</translation>
    </message>
    <message>
        <source>Very similar</source>
        <translation>Sehr ähnlich</translation>
    </message>
    <message>
        <source>Similar</source>
        <translation>Ähnlich</translation>
    </message>
    <message>
        <source>Loose</source>
        <translation>Großzügig</translation>
    </message>
    <message>
        <source>Perceptual (pHash)</source>
        <translation>Wahrnehmung (pHash)</translation>
    </message>
    <message>
        <source>Gradient (dHash)</source>
        <translation>Verlauf (dHash)</translation>
    </message>
    <message>
        <source>Average (aHash)</source>
        <translation>Mittelwert (aHash)</translation>
    </message>
    <message>
        <source>Wavelet (wHash)</source>
        <translation>Wavelet (wHash)</translation>
    </message>
    <message>
        <source>Best in most cases: survives resizing, recompression and colour changes</source>
        <translation>Meist die beste Wahl: übersteht Größenänderung, neue Kompression und Farbänderungen</translation>
    </message>
    <message>
        <source>Compares brightness gradients: good for edits of one shot</source>
        <translation>Vergleicht Helligkeitsverläufe: gut für Bearbeitungen einer Aufnahme</translation>
    </message>
    <message>
        <source>Compares average brightness: strict, for resized copies</source>
        <translation>Vergleicht die mittlere Helligkeit: streng, für verkleinerte Kopien</translation>
    </message>
    <message>
        <source>Wavelet-based: robust to heavy compression</source>
        <translation>Wavelet-basiert: robust bei starker Kompression</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>Ähnlichkeit</translation>
    </message>
    <message>
        <source>How different two pictures may be and still count as copies.
0 = identical pictures; 2 near-identical; 4 very similar; 6-8 similar; 10-{max} loose.
Moving it regroups at once: no rescan.</source>
        <translation>Wie verschieden zwei Bilder sein dürfen, um noch als Kopien zu gelten.
0 = identische Bilder; 2 fast identisch; 4 sehr ähnlich; 6–8 ähnlich; 10–{max} großzügig.
Verschieben gruppiert sofort neu: ohne neues Durchsuchen.</translation>
    </message>
    <message>
        <source>Similarity threshold</source>
        <translation>Ähnlichkeitsschwelle</translation>
    </message>
    <message>
        <source>Largest fingerprint distance, in bits of 64, that still counts as a copy</source>
        <translation>Größter Abstand der Fingerabdrücke, in Bits von 64, der noch als Kopie gilt</translation>
    </message>
    <message>
        <source>Which fingerprint to compare. Changing it recompares the images already scanned.</source>
        <translation>Welcher Fingerabdruck verglichen wird. Eine Änderung vergleicht die bereits durchsuchten Bilder neu.</translation>
    </message>
    <message>
        <source>Compare by</source>
        <translation>Vergleichen nach</translation>
    </message>
    <message>
        <source>Compare by:</source>
        <translation>Vergleichen nach:</translation>
    </message>
    <message>
        <source>Match rotated and mirrored copies</source>
        <translation>Gedrehte und gespiegelte Kopien finden</translation>
    </message>
    <message>
        <source>Also group copies that were turned by 90°/180°/270° or mirrored</source>
        <translation>Auch Kopien gruppieren, die um 90°/180°/270° gedreht oder gespiegelt wurden</translation>
    </message>
</context>
</TS>
