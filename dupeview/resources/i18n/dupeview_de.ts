<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <source>Looking for less similar copies</source>
        <translation>Weniger ähnliche Kopien werden gesucht</translation>
    </message>
    <message>
        <source>Stop looking and set the slider back to the loosest step already searched</source>
        <translation>Die Suche anhalten und den Regler auf die lockerste schon durchsuchte Stufe zurückstellen</translation>
    </message>
    <message>
        <source>Looking for less similar copies among {n} images… {s} s</source>
        <translation>Weniger ähnliche Kopien unter {n} Bildern werden gesucht … {s} s</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>{n} file</source>
        <translation>{n} Datei</translation>
    </message>
    <message>
        <source>{n} files</source>
        <translation>{n} Dateien</translation>
    </message>
    <message>
        <source>Move files?</source>
        <translation>Dateien verschieben?</translation>
    </message>
    <message>
        <source>Move {files} ({size}) into {dest}?</source>
        <translation>{files} ({size}) nach {dest} verschieben?</translation>
    </message>
    <message>
        <source>Each file keeps its path inside the searched folder it was found in. A name that is taken already gets a number, so nothing there is replaced. Edit → Undo puts them back.</source>
        <translation>Jede Datei behält ihren Pfad innerhalb des durchsuchten Ordners, in dem sie gefunden wurde. Ein bereits vergebener Name erhält eine Nummer, es wird also nichts ersetzt. Bearbeiten → Rückgängig stellt sie wieder her.</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>Copy files?</source>
        <translation>Dateien kopieren?</translation>
    </message>
    <message>
        <source>Copy {files} ({size}) into {dest}?</source>
        <translation>{files} ({size}) nach {dest} kopieren?</translation>
    </message>
    <message>
        <source>The originals stay where they are. Each copy keeps its path inside the searched folder it was found in; a name that is taken already gets a number. Edit → Undo removes the copies.</source>
        <translation>Die Originale bleiben, wo sie sind. Jede Kopie behält ihren Pfad innerhalb des durchsuchten Ordners, in dem sie gefunden wurde; ein bereits vergebener Name erhält eine Nummer. Bearbeiten → Rückgängig entfernt die Kopien.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Each file goes to the trash and a hard link to the kept copy of its group takes its place: its folder looks the same and its space is freed. A file on another filesystem than its kept copy cannot be linked: it is refused, file by file, and stays as it is. Edit → Undo puts the files back from the trash.</source>
        <translation>Jede Datei kommt in den Papierkorb, und an ihre Stelle tritt eine harte Verknüpfung zur behaltenen Kopie ihrer Gruppe: Der Ordner sieht aus wie vorher, und der Speicherplatz wird frei. Eine Datei auf einem anderen Dateisystem als ihre behaltene Kopie lässt sich nicht verknüpfen: Sie wird Datei für Datei abgelehnt und bleibt, wie sie ist. Bearbeiten → Rückgängig holt die Dateien aus dem Papierkorb zurück.</translation>
    </message>
    <message>
        <source>As scanned, {files} are on another filesystem than their kept copy.</source>
        <translation>Laut Durchsuchung liegen {files} auf einem anderen Dateisystem als ihre behaltene Kopie.</translation>
    </message>
    <message>
        <source>Replace with hard links?</source>
        <translation>Durch harte Verknüpfungen ersetzen?</translation>
    </message>
    <message>
        <source>Replace {files} ({size}) with hard links to the kept copies?</source>
        <translation>{files} ({size}) durch harte Verknüpfungen zu den behaltenen Kopien ersetzen?</translation>
    </message>
    <message>
        <source>Replace with hard links</source>
        <translation>Durch harte Verknüpfungen ersetzen</translation>
    </message>
    <message>
        <source>Replace with symbolic links?</source>
        <translation>Durch symbolische Verknüpfungen ersetzen?</translation>
    </message>
    <message>
        <source>Replace {files} ({size}) with symbolic links to the kept copies?</source>
        <translation>{files} ({size}) durch symbolische Verknüpfungen zu den behaltenen Kopien ersetzen?</translation>
    </message>
    <message>
        <source>Each file goes to the trash and a symbolic link to the kept copy of its group takes its place. If a kept copy is moved or deleted later, its links stop working. Edit → Undo puts the files back from the trash.</source>
        <translation>Jede Datei kommt in den Papierkorb, und an ihre Stelle tritt eine symbolische Verknüpfung zur behaltenen Kopie ihrer Gruppe. Wird eine behaltene Kopie später verschoben oder gelöscht, funktionieren ihre Verknüpfungen nicht mehr. Bearbeiten → Rückgängig holt die Dateien aus dem Papierkorb zurück.</translation>
    </message>
    <message>
        <source>Replace with symbolic links</source>
        <translation>Durch symbolische Verknüpfungen ersetzen</translation>
    </message>
    <message>
        <source>Today, {time}</source>
        <translation>Heute, {time}</translation>
    </message>
    <message>
        <source>Yesterday, {time}</source>
        <translation>Gestern, {time}</translation>
    </message>
    <message>
        <source>Into these folders:</source>
        <translation>In diese Ordner:</translation>
    </message>
    <message>
        <source>In these folders:</source>
        <translation>In diesen Ordnern:</translation>
    </message>
    <message>
        <source>Files and sizes per folder</source>
        <translation>Dateien und Größen je Ordner</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>… and {n} more folders</source>
        <translation>… und {n} weitere Ordner</translation>
    </message>
    <message>
        <source>{n} file{s}</source>
        <translation>{n} Datei(en)</translation>
    </message>
    <message>
        <source>Move the marked files into</source>
        <translation>Die markierten Dateien verschieben nach</translation>
    </message>
    <message>
        <source>Copy the marked files into</source>
        <translation>Die markierten Dateien kopieren nach</translation>
    </message>
    <message>
        <source>Nothing is marked. Mark copies with Space, K or Auto-mark.</source>
        <translation>Nichts ist markiert. Kopien mit Leertaste, K oder „Automatisch markieren“ markieren.</translation>
    </message>
    <message>
        <source>{n} marked file(s) are left out: they are every copy of their group, and one copy is always kept.</source>
        <translation>{n} markierte Datei(en) werden ausgelassen: Sie sind alle Kopien ihrer Gruppe, und eine Kopie wird immer behalten.</translation>
    </message>
    <message>
        <source>{verb}: {n} files…</source>
        <translation>{verb}: {n} Dateien …</translation>
    </message>
    <message>
        <source>Moving to the trash</source>
        <translation>In den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>Deleting</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Moving</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Replacing with hard links</source>
        <translation>Durch harte Verknüpfungen ersetzen</translation>
    </message>
    <message>
        <source>Replacing with symbolic links</source>
        <translation>Durch symbolische Verknüpfungen ersetzen</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>{verb}: {done} of {total} files…</source>
        <translation>{verb}: {done} von {total} Dateien …</translation>
    </message>
    <message>
        <source>Deleted {files} ({size}).</source>
        <translation>{files} ({size}) gelöscht.</translation>
    </message>
    <message>
        <source>Moved {files} ({size}) to the trash.</source>
        <translation>{files} ({size}) in den Papierkorb verschoben.</translation>
    </message>
    <message>
        <source>Moved {files} ({size}) into {where}.</source>
        <translation>{files} ({size}) nach {where} verschoben.</translation>
    </message>
    <message>
        <source>Copied {files} into {where}.</source>
        <translation>{files} nach {where} kopiert.</translation>
    </message>
    <message>
        <source>Replaced {files} with hard links: {size} freed.</source>
        <translation>{files} durch harte Verknüpfungen ersetzt: {size} frei geworden.</translation>
    </message>
    <message>
        <source>Replaced {files} with symbolic links: {size} freed.</source>
        <translation>{files} durch symbolische Verknüpfungen ersetzt: {size} frei geworden.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Some files were not deleted</source>
        <translation>Einige Dateien wurden nicht gelöscht</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>gelöscht</translation>
    </message>
    <message>
        <source>Some files were not moved</source>
        <translation>Einige Dateien wurden nicht verschoben</translation>
    </message>
    <message>
        <source>moved to the trash</source>
        <translation>in den Papierkorb verschoben</translation>
    </message>
    <message>
        <source>moved</source>
        <translation>verschoben</translation>
    </message>
    <message>
        <source>Some files were not copied</source>
        <translation>Einige Dateien wurden nicht kopiert</translation>
    </message>
    <message>
        <source>copied</source>
        <translation>kopiert</translation>
    </message>
    <message>
        <source>Some files were not replaced</source>
        <translation>Einige Dateien wurden nicht ersetzt</translation>
    </message>
    <message>
        <source>replaced with hard links</source>
        <translation>durch harte Verknüpfungen ersetzt</translation>
    </message>
    <message>
        <source>replaced with symbolic links</source>
        <translation>durch symbolische Verknüpfungen ersetzt</translation>
    </message>
    <message>
        <source>{files} could not be {how}. They are unchanged.</source>
        <translation>{files} konnte(n) nicht {how} werden. Sie sind unverändert.</translation>
    </message>
    <message>
        <source>Putting the files back…</source>
        <translation>Dateien werden wiederhergestellt …</translation>
    </message>
    <message>
        <source>There is nothing to undo.</source>
        <translation>Es gibt nichts rückgängig zu machen.</translation>
    </message>
    <message>
        <source> Scan again to see them in the groups.</source>
        <translation> Erneut durchsuchen, um sie in den Gruppen zu sehen.</translation>
    </message>
    <message>
        <source>Put back {files} as they were.</source>
        <translation>{files} wiederhergestellt, wie sie waren.</translation>
    </message>
    <message>
        <source>There was nothing to restore.</source>
        <translation>Es gab nichts wiederherzustellen.</translation>
    </message>
    <message>
        <source>Some files were not restored</source>
        <translation>Einige Dateien wurden nicht wiederhergestellt</translation>
    </message>
    <message>
        <source>{n} file(s) could not be put back.</source>
        <translation>{n} Datei(en) konnte(n) nicht wiederhergestellt werden.</translation>
    </message>
    <message>
        <source>Not a folder, skipped: {names}</source>
        <translation>Kein Ordner, übersprungen: {names}</translation>
    </message>
    <message>
        <source>&amp;Add folder…</source>
        <translation>Ordner &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>Add a folder to search</source>
        <translation>Einen zu durchsuchenden Ordner hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Scan</source>
        <translation>&amp;Durchsuchen</translation>
    </message>
    <message>
        <source>Scan the folders for duplicates</source>
        <translation>Die Ordner nach Duplikaten durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Cancel scan</source>
        <translation>Durchsuchen &amp;abbrechen</translation>
    </message>
    <message>
        <source>Stop the scan</source>
        <translation>Das Durchsuchen anhalten</translation>
    </message>
    <message>
        <source>Files &amp;not compared…</source>
        <translation>&amp;Nicht verglichene Dateien …</translation>
    </message>
    <message>
        <source>Videos, other files and unreadable images</source>
        <translation>Videos, andere Dateien und unlesbare Bilder</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>Scan options</source>
        <translation>Optionen zum Durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Undo last action</source>
        <translation>Letzte Aktion &amp;rückgängig machen</translation>
    </message>
    <message>
        <source>Put the files of the last trash, move, copy or link action back</source>
        <translation>Die Dateien der letzten Papierkorb-, Verschiebe-, Kopier- oder Verknüpfungsaktion wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Auto-mark</source>
        <translation>&amp;Automatisch markieren</translation>
    </message>
    <message>
        <source>Keep the best copy in every group, mark the rest</source>
        <translation>In jeder Gruppe die beste Kopie behalten, den Rest markieren</translation>
    </message>
    <message>
        <source>&amp;Clear marks</source>
        <translation>Keine &amp;markieren</translation>
    </message>
    <message>
        <source>Unmark every file</source>
        <translation>Alle Markierungen aufheben</translation>
    </message>
    <message>
        <source>&amp;Trash marked…</source>
        <translation>Markierte in den &amp;Papierkorb …</translation>
    </message>
    <message>
        <source>Move the marked files to the trash</source>
        <translation>Die markierten Dateien in den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>&amp;Move marked to a folder…</source>
        <translation>Markierte in Ordner &amp;verschieben …</translation>
    </message>
    <message>
        <source>Move the marked files into a folder, keeping their paths inside the searched folders</source>
        <translation>Die markierten Dateien in einen Ordner verschieben; ihre Pfade innerhalb der durchsuchten Ordner bleiben erhalten</translation>
    </message>
    <message>
        <source>Cop&amp;y marked to a folder…</source>
        <translation>Markierte in Ordner &amp;kopieren …</translation>
    </message>
    <message>
        <source>Copy the marked files into a folder, keeping their paths inside the searched folders</source>
        <translation>Die markierten Dateien in einen Ordner kopieren; ihre Pfade innerhalb der durchsuchten Ordner bleiben erhalten</translation>
    </message>
    <message>
        <source>Replace marked with &amp;hard links…</source>
        <translation>Durch &amp;harte Verknüpfungen ersetzen …</translation>
    </message>
    <message>
        <source>Replace each marked file by a hard link to its group&apos;s kept copy (same filesystem only)</source>
        <translation>Jede markierte Datei durch eine harte Verknüpfung zur behaltenen Kopie ihrer Gruppe ersetzen (nur im selben Dateisystem)</translation>
    </message>
    <message>
        <source>Replace marked with s&amp;ymbolic links…</source>
        <translation>Durch &amp;symbolische Verknüpfungen ersetzen …</translation>
    </message>
    <message>
        <source>Replace each marked file by a symbolic link to its group&apos;s kept copy</source>
        <translation>Jede markierte Datei durch eine symbolische Verknüpfung zur behaltenen Kopie ihrer Gruppe ersetzen</translation>
    </message>
    <message>
        <source>Action &amp;log…</source>
        <translation>Akti&amp;onsprotokoll …</translation>
    </message>
    <message>
        <source>Every trash and undo so far</source>
        <translation>Alle bisherigen Papierkorb- und Rückgängig-Aktionen</translation>
    </message>
    <message>
        <source>&amp;Next group</source>
        <translation>&amp;Nächste Gruppe</translation>
    </message>
    <message>
        <source>Show the next group</source>
        <translation>Die nächste Gruppe zeigen</translation>
    </message>
    <message>
        <source>&amp;Previous group</source>
        <translation>&amp;Vorherige Gruppe</translation>
    </message>
    <message>
        <source>Show the previous group</source>
        <translation>Die vorherige Gruppe zeigen</translation>
    </message>
    <message>
        <source>Next copy</source>
        <translation>Nächste Kopie</translation>
    </message>
    <message>
        <source>Previous copy</source>
        <translation>Vorherige Kopie</translation>
    </message>
    <message>
        <source>&amp;Toggle mark</source>
        <translation>Markierung &amp;umschalten</translation>
    </message>
    <message>
        <source>Mark or unmark the selected copy</source>
        <translation>Die ausgewählte Kopie markieren oder die Markierung aufheben</translation>
    </message>
    <message>
        <source>&amp;Keep this one, mark the rest</source>
        <translation>Diese &amp;behalten, den Rest markieren</translation>
    </message>
    <message>
        <source>Keep the selected copy and mark every other copy in the group</source>
        <translation>Die ausgewählte Kopie behalten und alle anderen Kopien der Gruppe markieren</translation>
    </message>
    <message>
        <source>&amp;Compare with best copy</source>
        <translation>Mit der besten Kopie ver&amp;gleichen</translation>
    </message>
    <message>
        <source>Compare the selected copy with the best copy, large</source>
        <translation>Die ausgewählte Kopie groß mit der besten Kopie vergleichen</translation>
    </message>
    <message>
        <source>&amp;Open in viewer</source>
        <translation>In Bildbetrachter ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Open the selected copy in the system&apos;s image viewer</source>
        <translation>Die ausgewählte Kopie im Bildbetrachter des Systems öffnen</translation>
    </message>
    <message>
        <source>&amp;Reveal in file manager</source>
        <translation>In &amp;Dateiverwaltung zeigen</translation>
    </message>
    <message>
        <source>Show the selected copy in the file manager</source>
        <translation>Die ausgewählte Kopie in der Dateiverwaltung zeigen</translation>
    </message>
    <message>
        <source>Copy &amp;path</source>
        <translation>&amp;Pfad kopieren</translation>
    </message>
    <message>
        <source>Copy the selected copy&apos;s path</source>
        <translation>Den Pfad der ausgewählten Kopie kopieren</translation>
    </message>
    <message>
        <source>&amp;Not duplicates (whole group)</source>
        <translation>&amp;Keine Duplikate (ganze Gruppe)</translation>
    </message>
    <message>
        <source>These pictures are not copies of each other: never show this group again</source>
        <translation>Diese Bilder sind keine Kopien voneinander: diese Gruppe nie wieder zeigen</translation>
    </message>
    <message>
        <source>Not a duplicate (this &amp;copy)</source>
        <translation>Kein D&amp;uplikat (diese Kopie)</translation>
    </message>
    <message>
        <source>This copy is a different picture: take it out of the group for good</source>
        <translation>Diese Kopie ist ein anderes Bild: sie dauerhaft aus der Gruppe nehmen</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About dupeview</source>
        <translation>Ü&amp;ber dupeview</translation>
    </message>
    <message>
        <source>Replace with &amp;links</source>
        <translation>Durch Verknüpfun&amp;gen ersetzen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Gruppe</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Compare with best copy</source>
        <translation>Mit der besten Kopie vergleichen</translation>
    </message>
    <message>
        <source>Compare with next copy</source>
        <translation>Mit der nächsten Kopie vergleichen</translation>
    </message>
    <message>
        <source>Unmark</source>
        <translation>Markierung aufheben</translation>
    </message>
    <message>
        <source>Mark for trash</source>
        <translation>Für den Papierkorb markieren</translation>
    </message>
    <message>
        <source>Not a duplicate (take out of this group)</source>
        <translation>Kein Duplikat (aus dieser Gruppe nehmen)</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Erscheinungsbild</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Nebeneinander</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Geteilt</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Unterschied</translation>
    </message>
    <message>
        <source>Left copy</source>
        <translation>Linke Kopie</translation>
    </message>
    <message>
        <source>Right copy</source>
        <translation>Rechte Kopie</translation>
    </message>
    <message>
        <source>Which copy of the group to show on this side</source>
        <translation>Welche Kopie der Gruppe auf dieser Seite gezeigt wird</translation>
    </message>
    <message>
        <source>Show the previous copy of the group on the right (←)</source>
        <translation>Die vorherige Kopie der Gruppe rechts zeigen (←)</translation>
    </message>
    <message>
        <source>Show the next copy of the group on the right (→)</source>
        <translation>Die nächste Kopie der Gruppe rechts zeigen (→)</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <source>Side by side, one picture over the other with a split line, or where they differ (V)</source>
        <translation>Nebeneinander, ein Bild über dem anderen mit Trennlinie, oder wo sie sich unterscheiden (V)</translation>
    </message>
    <message>
        <source>Split position</source>
        <translation>Position der Trennlinie</translation>
    </message>
    <message>
        <source>Left of the line: the left copy; right of it: the right copy</source>
        <translation>Links der Linie: die linke Kopie; rechts davon: die rechte Kopie</translation>
    </message>
    <message>
        <source>against</source>
        <translation>gegen</translation>
    </message>
    <message>
        <source>Not duplicates</source>
        <translation>Keine Duplikate</translation>
    </message>
    <message>
        <source>This picture</source>
        <translation>Dieses Bild</translation>
    </message>
    <message>
        <source>is not a copy of</source>
        <translation>ist keine Kopie von</translation>
    </message>
    <message>
        <source>Each pair of pictures you said are not copies of each other</source>
        <translation>Jedes Bilderpaar, das laut Ihnen keine Kopien voneinander sind</translation>
    </message>
    <message>
        <source>Forget selected</source>
        <translation>Ausgewählte vergessen</translation>
    </message>
    <message>
        <source>These pictures may be shown as duplicates again</source>
        <translation>Diese Bilder dürfen wieder als Duplikate gezeigt werden</translation>
    </message>
    <message>
        <source>You said these pictures are not copies of each other ({n} pairs). They are never grouped together; forget a choice to compare them again.</source>
        <translation>Laut Ihrer Angabe sind diese Bilder keine Kopien voneinander ({n} Paare). Sie werden nie zusammen gruppiert; vergessen Sie eine Entscheidung, um sie wieder zu vergleichen.</translation>
    </message>
    <message>
        <source>No &quot;not duplicates&quot; choice yet: press D on a group, or Shift+D on one copy.</source>
        <translation>Noch keine „Keine Duplikate“-Entscheidung: D auf einer Gruppe drücken oder Umschalt+D auf einer Kopie.</translation>
    </message>
    <message>
        <source>Could not forget this choice: {why}</source>
        <translation>Diese Entscheidung konnte nicht vergessen werden: {why}</translation>
    </message>
    <message>
        <source>Moved to the trash</source>
        <translation>In den Papierkorb verschoben</translation>
    </message>
    <message>
        <source>Deleted permanently</source>
        <translation>Endgültig gelöscht</translation>
    </message>
    <message>
        <source>Put back</source>
        <translation>Wiederhergestellt</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>Verschoben</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Replaced by a hard link</source>
        <translation>Durch harte Verknüpfung ersetzt</translation>
    </message>
    <message>
        <source>Replaced by a symbolic link</source>
        <translation>Durch symbolische Verknüpfung ersetzt</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>1 Datei</translation>
    </message>
    <message>
        <source>Delete permanently?</source>
        <translation>Endgültig löschen?</translation>
    </message>
    <message>
        <source>Move to trash?</source>
        <translation>In den Papierkorb verschieben?</translation>
    </message>
    <message>
        <source>&lt;b&gt;Permanently delete {files} ({size})?&lt;/b&gt;</source>
        <translation>&lt;b&gt;{files} ({size}) endgültig löschen?&lt;/b&gt;</translation>
    </message>
    <message>
        <source>They will not go to the trash. &lt;b&gt;This cannot be undone.&lt;/b&gt;</source>
        <translation>Sie kommen nicht in den Papierkorb. &lt;b&gt;Das lässt sich nicht rückgängig machen.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Move {files} ({size}) to the trash?&lt;/b&gt;</source>
        <translation>&lt;b&gt;{files} ({size}) in den Papierkorb verschieben?&lt;/b&gt;</translation>
    </message>
    <message>
        <source>You can put them back with Edit → Undo, or from the system trash.</source>
        <translation>Sie lassen sich mit Bearbeiten → Rückgängig oder aus dem Papierkorb des Systems wiederherstellen.</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… und {n} weitere</translation>
    </message>
    <message>
        <source>Files to remove</source>
        <translation>Zu entfernende Dateien</translation>
    </message>
    <message>
        <source>The first of the files this will remove, one per line</source>
        <translation>Die ersten der Dateien, die dies entfernt, eine pro Zeile</translation>
    </message>
    <message>
        <source>Delete permanently</source>
        <translation>Endgültig löschen</translation>
    </message>
    <message>
        <source>Move to Trash</source>
        <translation>In den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>Delete the files for good: they cannot be restored</source>
        <translation>Die Dateien endgültig löschen: Sie lassen sich nicht wiederherstellen</translation>
    </message>
    <message>
        <source>Move the files to the trash; Edit → Undo puts them back</source>
        <translation>Die Dateien in den Papierkorb verschieben; Bearbeiten → Rückgängig stellt sie wieder her</translation>
    </message>
    <message>
        <source>I understand these files cannot be restored</source>
        <translation>Mir ist klar, dass diese Dateien nicht wiederhergestellt werden können</translation>
    </message>
    <message>
        <source>Tick to enable the button that deletes the files</source>
        <translation>Ankreuzen, um den Knopf zum Löschen der Dateien freizugeben</translation>
    </message>
    <message>
        <source>Copy list</source>
        <translation>Liste kopieren</translation>
    </message>
    <message>
        <source>Copy the files and reasons to the clipboard, one file per line</source>
        <translation>Die Dateien und Gründe in die Zwischenablage kopieren, eine Datei pro Zeile</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Files and reasons</source>
        <translation>Dateien und Gründe</translation>
    </message>
    <message>
        <source>Each file, and why</source>
        <translation>Jede Datei und der Grund</translation>
    </message>
    <message>
        <source>Files not compared</source>
        <translation>Nicht verglichene Dateien</translation>
    </message>
    <message>
        <source>{files} could not be compared. Nothing was changed on them.</source>
        <translation>{files} konnte(n) nicht verglichen werden. An ihnen wurde nichts geändert.</translation>
    </message>
    <message>
        <source>{what}. Nothing was changed on them.</source>
        <translation>{what}. An ihnen wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Every file found was compared.</source>
        <translation>Alle gefundenen Dateien wurden verglichen.</translation>
    </message>
    <message>
        <source>{n} done</source>
        <translation>{n} erledigt</translation>
    </message>
    <message>
        <source>, {n} failed</source>
        <translation>, {n} fehlgeschlagen</translation>
    </message>
    <message>
        <source>Action log</source>
        <translation>Aktionsprotokoll</translation>
    </message>
    <message>
        <source>When / file</source>
        <translation>Wann / Datei</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Every action, newest first; open one to see its files</source>
        <translation>Alle Aktionen, die neueste zuerst; eine aufklappen, um ihre Dateien zu sehen</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>in the trash as {path}</source>
        <translation>im Papierkorb als {path}</translation>
    </message>
    <message>
        <source>Nothing has been trashed yet.</source>
        <translation>Bisher wurde nichts in den Papierkorb verschoben.</translation>
    </message>
    <message>
        <source>Undo last trash</source>
        <translation>Letzten Papierkorb-Vorgang rückgängig machen</translation>
    </message>
    <message>
        <source>Put the files of the last trash action back where they were</source>
        <translation>Die Dateien des letzten Papierkorb-Vorgangs an ihren Platz zurücklegen</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgegangen</translation>
    </message>
    <message>
        <source>&lt;b&gt;dupeview hit an unexpected problem.&lt;/b&gt;&lt;br&gt;{message}&lt;br&gt;&lt;br&gt;No file was changed by this error. You can keep working; if it happens again, please report it with the log file.</source>
        <translation>&lt;b&gt;In dupeview ist ein unerwartetes Problem aufgetreten.&lt;/b&gt;&lt;br&gt;{message}&lt;br&gt;&lt;br&gt;Durch diesen Fehler wurde keine Datei verändert. Sie können weiterarbeiten; falls es wieder passiert, melden Sie es bitte mit der Protokolldatei.</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;br&gt;Log: &lt;code&gt;{path}&lt;/code&gt;</source>
        <translation>&lt;br&gt;&lt;br&gt;Protokoll: &lt;code&gt;{path}&lt;/code&gt;</translation>
    </message>
    <message>
        <source>What went wrong; the text can be selected and copied</source>
        <translation>Was schiefging; der Text lässt sich auswählen und kopieren</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>The technical details of the error, for a report</source>
        <translation>Die technischen Details des Fehlers, für eine Meldung</translation>
    </message>
    <message>
        <source>Show or hide the technical details</source>
        <translation>Die technischen Details zeigen oder verbergen</translation>
    </message>
    <message>
        <source>In the compare window: hold Space to flip, F to fit, 1 for real size, wheel to zoom.</source>
        <translation>Im Vergleichsfenster: Leertaste gedrückt halten zum Umschalten, F zum Einpassen, 1 für Originalgröße, Mausrad zum Zoomen.</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>About dupeview</source>
        <translation>Über dupeview</translation>
    </message>
    <message>
        <source>Find duplicate and near-duplicate photos, compare them side by side, and send the extra copies to the trash.</source>
        <translation>Doppelte und fast doppelte Fotos finden, nebeneinander vergleichen und die überzähligen Kopien in den Papierkorb verschieben.</translation>
    </message>
    <message>
        <source>Reference: files in this folder are protected. They are compared with the others but never marked or moved to the trash.</source>
        <translation>Referenz: Dateien in diesem Ordner sind geschützt. Sie werden mit den anderen verglichen, aber nie markiert oder in den Papierkorb verschoben.</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>Folders to search. Tick Reference to protect a folder&apos;s files.
Drop folders here from your file manager.</source>
        <translation>Zu durchsuchende Ordner. „Referenz“ ankreuzen, um die Dateien eines Ordners zu schützen.
Ordner aus der Dateiverwaltung hierher ziehen.</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <comment>the sidebar&apos;s narrow button</comment>
        <translation>Hinzufügen …</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen …</translation>
    </message>
    <message>
        <source>Choose a folder to search (or drop folders on the list)</source>
        <translation>Einen zu durchsuchenden Ordner wählen (oder Ordner auf die Liste ziehen)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Stop searching the selected folders (no file is touched)</source>
        <translation>Die ausgewählten Ordner nicht mehr durchsuchen (keine Datei wird verändert)</translation>
    </message>
    <message>
        <source>{n} copies · {size}</source>
        <translation>{n} Kopien · {size}</translation>
    </message>
    <message>
        <source>Group {k}: {n} copies, {size} to reclaim</source>
        <translation>Gruppe {k}: {n} Kopien, {size} freizugeben</translation>
    </message>
    <message>
        <source>{n} marked</source>
        <translation>{n} markiert</translation>
    </message>
    <message>
        <source>Prefer RAW originals</source>
        <translation>RAW-Originale bevorzugen</translation>
    </message>
    <message>
        <source>Camera data (make, model, date taken)</source>
        <translation>Kameradaten (Hersteller, Modell, Datum)</translation>
    </message>
    <message>
        <source>Colour over greyscale</source>
        <translation>Farbe vor Graustufen</translation>
    </message>
    <message>
        <source>Full frame (no bars, borders or caption)</source>
        <translation>Ganzes Bild (ohne Balken, Rand, Text)</translation>
    </message>
    <message>
        <source>Sharpest</source>
        <translation>Am schärfsten</translation>
    </message>
    <message>
        <source>Highest JPEG quality</source>
        <translation>Höchste JPEG-Qualität</translation>
    </message>
    <message>
        <source>Not upscaled (detail fits the resolution)</source>
        <translation>Nicht hochskaliert (Details passen zur Auflösung)</translation>
    </message>
    <message>
        <source>Highest resolution</source>
        <translation>Höchste Auflösung</translation>
    </message>
    <message>
        <source>Largest file</source>
        <translation>Größte Datei</translation>
    </message>
    <message>
        <source>Oldest date taken</source>
        <translation>Ältestes Aufnahmedatum</translation>
    </message>
    <message>
        <source>In a preferred folder</source>
        <translation>In einem bevorzugten Ordner</translation>
    </message>
    <message>
        <source>Preferred format</source>
        <translation>Bevorzugtes Format</translation>
    </message>
    <message>
        <source>Shortest path</source>
        <translation>Kürzester Pfad</translation>
    </message>
    <message>
        <source>Keep the camera&apos;s RAW file (DNG, CR2, NEF, …) over its JPEG and other copies</source>
        <translation>Die RAW-Datei der Kamera (DNG, CR2, NEF, …) vor ihrem JPEG und anderen Kopien behalten</translation>
    </message>
    <message>
        <source>Keep the copy that still has the camera&apos;s data: make, model and the date taken</source>
        <translation>Die Kopie behalten, die noch die Kameradaten hat: Hersteller, Modell und Aufnahmedatum</translation>
    </message>
    <message>
        <source>Keep a colour picture over a greyscale copy of it</source>
        <translation>Ein Farbbild vor seiner Graustufen-Kopie behalten</translation>
    </message>
    <message>
        <source>Keep the whole picture over a copy with bars, borders or a caption added</source>
        <translation>Das ganze Bild vor einer Kopie mit hinzugefügten Balken, Rändern oder Beschriftung behalten</translation>
    </message>
    <message>
        <source>Keep the sharpest copy: the others may be scaled up or blurred</source>
        <translation>Die schärfste Kopie behalten: Die anderen sind vielleicht hochskaliert oder unscharf</translation>
    </message>
    <message>
        <source>Keep the copy saved with the highest JPEG quality (lossless formats count as best)</source>
        <translation>Die mit der höchsten JPEG-Qualität gespeicherte Kopie behalten (verlustfreie Formate gelten als die besten)</translation>
    </message>
    <message>
        <source>Keep a copy whose detail fits its pixel count over one that was enlarged from a smaller picture</source>
        <translation>Eine Kopie, deren Details zu ihrer Pixelzahl passen, vor einer aus einem kleineren Bild vergrößerten behalten</translation>
    </message>
    <message>
        <source>Keep the copy with the most pixels</source>
        <translation>Die Kopie mit den meisten Pixeln behalten</translation>
    </message>
    <message>
        <source>Keep the largest file (usually the least compressed)</source>
        <translation>Die größte Datei behalten (meist die am wenigsten komprimierte)</translation>
    </message>
    <message>
        <source>Keep the copy taken (or saved) first: the original</source>
        <translation>Die zuerst aufgenommene (oder gespeicherte) Kopie behalten: das Original</translation>
    </message>
    <message>
        <source>Keep copies in preferred folders</source>
        <translation>Kopien in bevorzugten Ordnern behalten</translation>
    </message>
    <message>
        <source>Prefer camera formats (HEIF, JPEG) over conversions</source>
        <translation>Kameraformate (HEIF, JPEG) vor Umwandlungen bevorzugen</translation>
    </message>
    <message>
        <source>Keep the copy with the shortest path</source>
        <translation>Die Kopie mit dem kürzesten Pfad behalten</translation>
    </message>
    <message>
        <source>&lt;b&gt;Keep rules&lt;/b&gt; — which copy is best, first rule first</source>
        <translation>&lt;b&gt;Behalte-Regeln&lt;/b&gt; – welche Kopie die beste ist, die erste Regel zuerst</translation>
    </message>
    <message>
        <source>Drag to reorder. Auto-mark keeps the best copy by these rules and marks the rest.</source>
        <translation>Zum Umordnen ziehen. „Automatisch markieren“ behält nach diesen Regeln die beste Kopie und markiert den Rest.</translation>
    </message>
    <message>
        <source>Keep rules</source>
        <translation>Behalte-Regeln</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Make the selected rule more important</source>
        <translation>Die ausgewählte Regel wichtiger machen</translation>
    </message>
    <message>
        <source>Make the selected rule less important</source>
        <translation>Die ausgewählte Regel weniger wichtig machen</translation>
    </message>
    <message>
        <source>Scanned {images} images ({read} read, {known} known from before) in {time}: {n} group{s} of copies.</source>
        <translation>{images} Bilder in {time} durchsucht ({read} gelesen, {known} schon bekannt). Gruppen mit Kopien: {n}.</translation>
    </message>
    <message>
        <source>The {n} image{s} read so far are remembered: the next scan will not read them again.</source>
        <translation>Die bisher gelesenen Bilder ({n}) sind gespeichert: Das nächste Durchsuchen liest sie nicht noch einmal.</translation>
    </message>
    <message>
        <source>Scan cancelled. </source>
        <translation>Durchsuchen abgebrochen. </translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Dismiss this notice</source>
        <translation>Diesen Hinweis schließen</translation>
    </message>
    <message>
        <source>Scan for duplicates</source>
        <translation>Nach Duplikaten suchen</translation>
    </message>
    <message>
        <source>Choose a folder to search (or drop folders here)</source>
        <translation>Einen zu durchsuchenden Ordner wählen (oder Ordner hierher ziehen)</translation>
    </message>
    <message>
        <source>Look for duplicate and similar photos in the folders to search (F5)</source>
        <translation>In den zu durchsuchenden Ordnern nach doppelten und ähnlichen Fotos suchen (F5)</translation>
    </message>
    <message>
        <source>Add the folders to search</source>
        <translation>Die zu durchsuchenden Ordner hinzufügen</translation>
    </message>
    <message>
        <source>Choose the folders with your photos — or drop them here.
Tick Reference for folders whose files must never be touched.</source>
        <translation>Wählen Sie die Ordner mit Ihren Fotos – oder ziehen Sie sie hierher.
Kreuzen Sie „Referenz“ bei Ordnern an, deren Dateien nie angetastet werden dürfen.</translation>
    </message>
    <message>
        <source>Ready to search {n} folder{s}</source>
        <translation>Bereit, {n} Ordner zu durchsuchen</translation>
    </message>
    <message>
        <source>Scan to find duplicate and similar photos. Nothing is changed on disk until you confirm.</source>
        <translation>Durchsuchen findet doppelte und ähnliche Fotos. Auf dem Datenträger ändert sich nichts, bis Sie es bestätigen.</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Durchsuchen läuft …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the scan. Files already read are remembered for next time (Esc)</source>
        <translation>Das Durchsuchen anhalten. Bereits gelesene Dateien bleiben für das nächste Mal gespeichert (Esc)</translation>
    </message>
    <message>
        <source>Looking for images…</source>
        <translation>Bilder werden gesucht …</translation>
    </message>
    <message>
        <source>Comparing fingerprints…</source>
        <translation>Fingerabdrücke werden verglichen …</translation>
    </message>
    <message>
        <source>Reading images…</source>
        <translation>Bilder werden gelesen …</translation>
    </message>
    <message>
        <source>All images are known from earlier scans.</source>
        <translation>Alle Bilder sind von früheren Durchsuchungen bekannt.</translation>
    </message>
    <message>
        <source>1 image found so far</source>
        <translation>1 Bild bisher gefunden</translation>
    </message>
    <message>
        <source>{n} images found so far</source>
        <translation>{n} Bilder bisher gefunden</translation>
    </message>
    <message>
        <source>{done} of {total} files</source>
        <translation>{done} von {total} Dateien</translation>
    </message>
    <message>
        <source>{rate} files/s</source>
        <translation>{rate} Dateien/s</translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation>noch etwa {time}</translation>
    </message>
    <message>
        <source>estimating the time left…</source>
        <translation>Restzeit wird geschätzt…</translation>
    </message>
    <message>
        <source>Folders and options</source>
        <translation>Ordner und Optionen</translation>
    </message>
    <message>
        <source>The folders to search, the scan button, the similarity and the keep rules</source>
        <translation>Die zu durchsuchenden Ordner, der Knopf zum Durchsuchen, die Ähnlichkeit und die Behalte-Regeln</translation>
    </message>
    <message>
        <source>Folders to search</source>
        <translation>Zu durchsuchende Ordner</translation>
    </message>
    <message>
        <source>Look for duplicate and similar photos in the folders above (F5)</source>
        <translation>In den Ordnern oben nach doppelten und ähnlichen Fotos suchen (F5)</translation>
    </message>
    <message>
        <source>Filter groups</source>
        <translation>Gruppen filtern</translation>
    </message>
    <message>
        <source>Groups of copies</source>
        <translation>Gruppen mit Kopien</translation>
    </message>
    <message>
        <source>Each group of copies found; the one chosen is shown on the right</source>
        <translation>Jede gefundene Gruppe von Kopien; die ausgewählte wird rechts gezeigt</translation>
    </message>
    <message>
        <source>Auto-mark</source>
        <translation>Automatisch markieren</translation>
    </message>
    <message>
        <source>In every group, keep the best copy by the keep rules and mark the rest</source>
        <translation>In jeder Gruppe die nach den Behalte-Regeln beste Kopie behalten und den Rest markieren</translation>
    </message>
    <message>
        <source>Clear marks</source>
        <translation>Keine markieren</translation>
    </message>
    <message>
        <source>Trash marked…</source>
        <translation>In den Papierkorb …</translation>
    </message>
    <message>
        <source>Move the marked files to the trash, after you confirm (Delete)</source>
        <translation>Die markierten Dateien nach Ihrer Bestätigung in den Papierkorb verschieben (Entf)</translation>
    </message>
    <message>
        <source>Other actions</source>
        <translation>Weitere Aktionen</translation>
    </message>
    <message>
        <source>Other actions on the marked files</source>
        <translation>Weitere Aktionen mit den markierten Dateien</translation>
    </message>
    <message>
        <source>Move, copy or replace the marked files with links, after you confirm</source>
        <translation>Die markierten Dateien nach Ihrer Bestätigung verschieben, kopieren oder durch Verknüpfungen ersetzen</translation>
    </message>
    <message>
        <source>No group matches</source>
        <translation>Keine Gruppe passt</translation>
    </message>
    <message>
        <source>{n} groups are hidden by the filter or by Hide unremovable. Clear the filter (Esc) or untick Hide unremovable to see them.</source>
        <translation>{n} Gruppen sind durch den Filter oder „Nicht Entfernbare ausblenden“ verborgen. Leeren Sie den Filter (Esc) oder nehmen Sie das Häkchen bei „Nicht Entfernbare ausblenden“ weg, um sie zu sehen.</translation>
    </message>
    <message>
        <source>No two images in different searched folders are copies of each other.</source>
        <translation>Keine zwei Bilder in verschiedenen durchsuchten Ordnern sind Kopien voneinander.</translation>
    </message>
    <message>
        <source>No two images in the same searched folder are copies of each other.</source>
        <translation>Keine zwei Bilder im selben durchsuchten Ordner sind Kopien voneinander.</translation>
    </message>
    <message>
        <source>Choose &lt;i&gt;Compare everything&lt;/i&gt; above to see copies wherever they are.</source>
        <translation>Wählen Sie oben &lt;i&gt;Alles vergleichen&lt;/i&gt;, um Kopien überall zu sehen.</translation>
    </message>
    <message>
        <source> (after the pairs you marked as not duplicates)</source>
        <translation> (nach den Paaren, die Sie als „Keine Duplikate“ markiert haben)</translation>
    </message>
    <message>
        <source>No duplicates found</source>
        <translation>Keine Duplikate gefunden</translation>
    </message>
    <message>
        <source>No two images are within distance {t} of each other</source>
        <translation>Keine zwei Bilder liegen näher als Abstand {t} beieinander</translation>
    </message>
    <message>
        <source>Move the similarity slider towards &lt;i&gt;Loose&lt;/i&gt; to find less similar copies.</source>
        <translation>Schieben Sie den Ähnlichkeitsregler in Richtung &lt;i&gt;Großzügig&lt;/i&gt;, um weniger ähnliche Kopien zu finden.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{shown}&lt;/b&gt; of {n} groups shown</source>
        <translation>&lt;b&gt;{shown}&lt;/b&gt; von {n} Gruppen angezeigt</translation>
    </message>
    <message>
        <source>&lt;b&gt;1&lt;/b&gt; group</source>
        <translation>&lt;b&gt;1&lt;/b&gt; Gruppe</translation>
    </message>
    <message>
        <source>&lt;b&gt;{n}&lt;/b&gt; groups</source>
        <translation>&lt;b&gt;{n}&lt;/b&gt; Gruppen</translation>
    </message>
    <message>
        <source>&lt;b&gt;{marked}&lt;/b&gt; of {files} files marked · &lt;b&gt;{size}&lt;/b&gt; to reclaim</source>
        <translation>&lt;b&gt;{marked}&lt;/b&gt; von {files} Dateien markiert · &lt;b&gt;{size}&lt;/b&gt; freizugeben</translation>
    </message>
    <message>
        <source>(Auto-mark: {size})</source>
        <translation>(automatisch: {size})</translation>
    </message>
    <message>
        <source>The saved review could not be read</source>
        <translation>Die gespeicherte Sichtung konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>&amp;Open review…</source>
        <translation>Sichtung ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Save &amp;review as…</source>
        <translation>Sichtung &amp;speichern unter …</translation>
    </message>
    <message>
        <source>Export as &amp;CSV…</source>
        <translation>Als &amp;CSV exportieren …</translation>
    </message>
    <message>
        <source>Export as &amp;JSON…</source>
        <translation>Als &amp;JSON exportieren …</translation>
    </message>
    <message>
        <source>Export as &amp;HTML page…</source>
        <translation>Als HT&amp;ML-Seite exportieren …</translation>
    </message>
    <message>
        <source>&amp;Not duplicates…</source>
        <translation>&amp;Keine Duplikate …</translation>
    </message>
    <message>
        <source>Every &quot;not duplicates&quot; choice, to review or forget</source>
        <translation>Alle „Keine Duplikate“-Entscheidungen, zum Durchsehen oder Vergessen</translation>
    </message>
    <message>
        <source>There is no review yet: scan first.</source>
        <translation>Es gibt noch keine Sichtung: Zuerst durchsuchen.</translation>
    </message>
    <message>
        <source>None of the {n} files in this review exist on this computer, so nothing was opened.</source>
        <translation>Keine der {n} Dateien dieser Sichtung gibt es auf diesem Rechner, deshalb wurde nichts geöffnet.</translation>
    </message>
    <message>
        <source>The review could not be opened: {why}</source>
        <translation>Die Sichtung konnte nicht geöffnet werden: {why}</translation>
    </message>
    <message>
        <source>{n} files changed, moved or vanished since this review: they are left out and will not be acted on. Scan again to see them as they are now.</source>
        <translation>Seit dieser Sichtung wurden {n} Dateien geändert, verschoben oder entfernt: Sie werden ausgelassen und nicht bearbeitet. Erneut durchsuchen, um sie so zu sehen, wie sie jetzt sind.</translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>Erneut durchsuchen</translation>
    </message>
    <message>
        <source>Save review</source>
        <translation>Sichtung speichern</translation>
    </message>
    <message>
        <source>dupeview reviews (*{suffix})</source>
        <translation>dupeview-Sichtungen (*{suffix})</translation>
    </message>
    <message>
        <source>Review saved as {name}.</source>
        <translation>Sichtung als {name} gespeichert.</translation>
    </message>
    <message>
        <source>Open review</source>
        <translation>Sichtung öffnen</translation>
    </message>
    <message>
        <source>dupeview reviews (*{suffix});;All files (*)</source>
        <translation>dupeview-Sichtungen (*{suffix});;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The review could not be opened</source>
        <translation>Die Sichtung konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Export as CSV</source>
        <translation>Als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Export as JSON</source>
        <translation>Als JSON exportieren</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Export as an HTML page</source>
        <translation>Als HTML-Seite exportieren</translation>
    </message>
    <message>
        <source>Web pages (*.html)</source>
        <translation>Webseiten (*.html)</translation>
    </message>
    <message>
        <source>dupeview review</source>
        <translation>dupeview-Sichtung</translation>
    </message>
    <message>
        <source>Exported to {name}.</source>
        <translation>Nach {name} exportiert.</translation>
    </message>
    <message>
        <source>{name} could not be written: {why}</source>
        <translation>{name} konnte nicht geschrieben werden: {why}</translation>
    </message>
    <message>
        <source>the image could not be decoded</source>
        <translation>das Bild konnte nicht dekodiert werden</translation>
    </message>
    <message>
        <source>the file is gone</source>
        <translation>die Datei ist nicht mehr da</translation>
    </message>
    <message>
        <source>no permission to read the file</source>
        <translation>keine Berechtigung, die Datei zu lesen</translation>
    </message>
    <message>
        <source>the image is too large to show</source>
        <translation>das Bild ist zu groß zum Anzeigen</translation>
    </message>
    <message>
        <source>cannot show this image ({why})</source>
        <translation>dieses Bild kann nicht angezeigt werden ({why})</translation>
    </message>
    <message>
        <source>cannot show this image</source>
        <translation>dieses Bild kann nicht angezeigt werden</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>Dateigröße</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Date taken</source>
        <translation>Aufnahmedatum</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>Sharpness</source>
        <translation>Schärfe</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Kept: the same as the others</source>
        <translation>Behalten: wie die anderen</translation>
    </message>
    <message>
        <source>RAW original</source>
        <translation>RAW-Original</translation>
    </message>
    <message>
        <source>camera data</source>
        <translation>Kameradaten</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>full frame</source>
        <translation>volles Bild</translation>
    </message>
    <message>
        <source>not upscaled</source>
        <translation>nicht hochskaliert</translation>
    </message>
    <message>
        <source>highest resolution</source>
        <translation>höchste Auflösung</translation>
    </message>
    <message>
        <source>sharpest</source>
        <translation>am schärfsten</translation>
    </message>
    <message>
        <source>higher JPEG quality</source>
        <translation>höhere JPEG-Qualität</translation>
    </message>
    <message>
        <source>largest file</source>
        <translation>größte Datei</translation>
    </message>
    <message>
        <source>oldest</source>
        <translation>am ältesten</translation>
    </message>
    <message>
        <source>preferred folder</source>
        <translation>bevorzugter Ordner</translation>
    </message>
    <message>
        <source>preferred format</source>
        <translation>bevorzugtes Format</translation>
    </message>
    <message>
        <source>shortest path</source>
        <translation>kürzester Pfad</translation>
    </message>
    <message>
        <source>{prefix}: {reasons}</source>
        <translation>{prefix}: {reasons}</translation>
    </message>
    <message>
        <source>{format}, quality {quality}</source>
        <translation>{format}, Qualität {quality}</translation>
    </message>
    <message>
        <source>Greyscale</source>
        <translation>Graustufen</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>The best copy: {value}</source>
        <translation>Die beste Kopie: {value}</translation>
    </message>
    <message>
        <source>No date in the file: this is when it was last modified</source>
        <translation>Kein Datum in der Datei: das ist die letzte Änderung</translation>
    </message>
    <message>
        <source>Fine detail, as a share of the best copy&apos;s; within 25 % counts as as sharp</source>
        <translation>Feine Details, als Anteil an denen der besten Kopie; bis 25 % Unterschied gilt als gleich scharf</translation>
    </message>
    <message>
        <source>Fine detail: the other copies are measured against this one (100 %)</source>
        <translation>Feine Details: die anderen Kopien werden an dieser gemessen (100 %)</translation>
    </message>
    <message>
        <source>No camera make or model in the file</source>
        <translation>Kein Kamerahersteller oder -modell in der Datei</translation>
    </message>
    <message>
        <source>{mp} megapixels</source>
        <translation>{mp} Megapixel</translation>
    </message>
    <message>
        <source>The same as the best copy</source>
        <translation>Wie bei der besten Kopie</translation>
    </message>
    <message>
        <source>The best copy</source>
        <translation>Die beste Kopie</translation>
    </message>
    <message>
        <source>Why the keep rules keep this copy; the rules and their order are in the sidebar</source>
        <translation>Warum die Behalten-Regeln diese Kopie behalten; die Regeln und ihre Reihenfolge stehen in der Seitenleiste</translation>
    </message>
    <message>
        <source>Identical bytes (100 %)</source>
        <translation>Identische Bytes (100 %)</translation>
    </message>
    <message>
        <source>Byte for byte the same file as the best copy</source>
        <translation>Byte für Byte dieselbe Datei wie die beste Kopie</translation>
    </message>
    <message>
        <source>{score} % similar to the best copy</source>
        <translation>{score} % ähnlich zur besten Kopie</translation>
    </message>
    <message>
        <source>How alike this copy and the best copy look, from fine fingerprints of their best-aligned views; fingerprint distance {d} of 64</source>
        <translation>Wie ähnlich diese Kopie und die beste Kopie aussehen, aus feinen Fingerabdrücken ihrer am besten ausgerichteten Ansichten; Abstand der Fingerabdrücke {d} von 64</translation>
    </message>
    <message>
        <source>Use what is set in this dialog and close it</source>
        <translation>Die Einstellungen dieses Dialogs übernehmen und ihn schließen</translation>
    </message>
    <message>
        <source>Close this dialog and change nothing</source>
        <translation>Diesen Dialog schließen und nichts ändern</translation>
    </message>
    <message>
        <source>Close this window</source>
        <translation>Dieses Fenster schließen</translation>
    </message>
    <message>
        <source>Go ahead</source>
        <translation>Fortfahren</translation>
    </message>
    <message>
        <source>Do not go ahead</source>
        <translation>Nicht fortfahren</translation>
    </message>
    <message>
        <source>1 video</source>
        <translation>1 Video</translation>
    </message>
    <message>
        <source>{n} videos</source>
        <translation>{n} Videos</translation>
    </message>
    <message>
        <source>1 Photoshop file</source>
        <translation>1 Photoshop-Datei</translation>
    </message>
    <message>
        <source>{n} Photoshop files</source>
        <translation>{n} Photoshop-Dateien</translation>
    </message>
    <message>
        <source>1 unreadable file</source>
        <translation>1 unlesbare Datei</translation>
    </message>
    <message>
        <source>{n} unreadable files</source>
        <translation>{n} unlesbare Dateien</translation>
    </message>
    <message>
        <source>1 sidecar file</source>
        <translation>1 Begleitdatei</translation>
    </message>
    <message>
        <source>{n} sidecar files</source>
        <translation>{n} Begleitdateien</translation>
    </message>
    <message>
        <source>1 other file</source>
        <translation>1 andere Datei</translation>
    </message>
    <message>
        <source>{n} other files</source>
        <translation>{n} andere Dateien</translation>
    </message>
    <message>
        <source>1 hidden file</source>
        <translation>1 versteckte Datei</translation>
    </message>
    <message>
        <source>{n} hidden files</source>
        <translation>{n} versteckte Dateien</translation>
    </message>
    <message>
        <source>1 hidden folder</source>
        <translation>1 versteckter Ordner</translation>
    </message>
    <message>
        <source>{n} hidden folders</source>
        <translation>{n} versteckte Ordner</translation>
    </message>
    <message>
        <source>1 excluded file</source>
        <translation>1 ausgeschlossene Datei</translation>
    </message>
    <message>
        <source>{n} excluded files</source>
        <translation>{n} ausgeschlossene Dateien</translation>
    </message>
    <message>
        <source>1 excluded folder</source>
        <translation>1 ausgeschlossener Ordner</translation>
    </message>
    <message>
        <source>{n} excluded folders</source>
        <translation>{n} ausgeschlossene Ordner</translation>
    </message>
    <message>
        <source>1 image below the minimum size</source>
        <translation>1 Bild unter der Mindestgröße</translation>
    </message>
    <message>
        <source>{n} images below the minimum size</source>
        <translation>{n} Bilder unter der Mindestgröße</translation>
    </message>
    <message>
        <source>1 symbolic link not followed</source>
        <translation>1 nicht verfolgte symbolische Verknüpfung</translation>
    </message>
    <message>
        <source>{n} symbolic links not followed</source>
        <translation>{n} nicht verfolgte symbolische Verknüpfungen</translation>
    </message>
    <message>
        <source>video: only photos are compared</source>
        <translation>Video: Nur Fotos werden verglichen</translation>
    </message>
    <message>
        <source>Photoshop document: not compared</source>
        <translation>Photoshop-Dokument: wird nicht verglichen</translation>
    </message>
    <message>
        <source>metadata sidecar, not a picture</source>
        <translation>Begleitdatei mit Metadaten, kein Bild</translation>
    </message>
    <message>
        <source>not a picture format dupeview reads</source>
        <translation>kein Bildformat, das dupeview liest</translation>
    </message>
    <message>
        <source>{items} and {last}</source>
        <translation>{items} und {last}</translation>
    </message>
    <message>
        <source>{what} was not compared</source>
        <translation>{what} wurde nicht verglichen</translation>
    </message>
    <message>
        <source>{what} were not compared</source>
        <translation>{what} wurden nicht verglichen</translation>
    </message>
    <message>
        <source>Left out by the settings: {what}</source>
        <translation>Durch die Einstellungen ausgelassen: {what}</translation>
    </message>
    <message>
        <source>a program it needs is not installed</source>
        <translation>ein benötigtes Programm ist nicht installiert</translation>
    </message>
    <message>
        <source>the desktop has no program set up for this kind of file</source>
        <translation>die Arbeitsumgebung hat kein Programm für diese Art Datei eingerichtet</translation>
    </message>
    <message>
        <source>xdg-open failed (exit code {code})</source>
        <translation>xdg-open ist fehlgeschlagen (Rückgabewert {code})</translation>
    </message>
    <message>
        <source>{name} could not be opened in an image viewer: {why}. Copy its path (Ctrl+C) to open it with another program.</source>
        <translation>{name} konnte nicht in einem Bildbetrachter geöffnet werden: {why}. Kopieren Sie den Pfad (Strg+C), um die Datei mit einem anderen Programm zu öffnen.</translation>
    </message>
    <message>
        <source>the system found no program for it</source>
        <translation>das System fand kein Programm dafür</translation>
    </message>
    <message>
        <source>No file manager could show {name}: {why}. It is in {folder}.</source>
        <translation>Kein Dateimanager konnte {name} zeigen: {why}. Die Datei liegt in {folder}.</translation>
    </message>
    <message>
        <source>the system found no program for folders</source>
        <translation>das System fand kein Programm für Ordner</translation>
    </message>
    <message>
        <source>xdg-open, which finds the desktop&apos;s program for a file, is not installed (package xdg-utils)</source>
        <translation>xdg-open, das das Programm der Arbeitsumgebung für eine Datei findet, ist nicht installiert (Paket xdg-utils)</translation>
    </message>
    <message>
        <source>xdg-open stopped unexpectedly</source>
        <translation>xdg-open wurde unerwartet beendet</translation>
    </message>
    <message>
        <source>xdg-open could not be started</source>
        <translation>xdg-open konnte nicht gestartet werden</translation>
    </message>
    <message>
        <source>Space to reclaim</source>
        <translation>Freizugebender Platz</translation>
    </message>
    <message>
        <source>Number of copies</source>
        <translation>Anzahl der Kopien</translation>
    </message>
    <message>
        <source>Most similar first</source>
        <translation>Ähnlichste zuerst</translation>
    </message>
    <message>
        <source>Compare everything</source>
        <translation>Alles vergleichen</translation>
    </message>
    <message>
        <source>Only across folders</source>
        <translation>Nur zwischen Ordnern</translation>
    </message>
    <message>
        <source>Only within each folder</source>
        <translation>Nur innerhalb jedes Ordners</translation>
    </message>
    <message>
        <source>Filter by path…</source>
        <translation>Nach Pfad filtern…</translation>
    </message>
    <message>
        <source>Show only groups with a copy whose path contains this text (Ctrl+F; Esc clears)</source>
        <translation>Nur Gruppen mit einer Kopie zeigen, deren Pfad diesen Text enthält (Strg+F; Esc leert)</translation>
    </message>
    <message>
        <source>Filter groups by path</source>
        <translation>Gruppen nach Pfad filtern</translation>
    </message>
    <message>
        <source>Only groups with a copy whose folder or file name contains this text are listed</source>
        <translation>Nur Gruppen mit einer Kopie, deren Ordner- oder Dateiname diesen Text enthält, werden aufgeführt</translation>
    </message>
    <message>
        <source>&amp;Sort:</source>
        <translation>&amp;Sortieren:</translation>
    </message>
    <message>
        <source>The order of the groups in the list</source>
        <translation>Die Reihenfolge der Gruppen in der Liste</translation>
    </message>
    <message>
        <source>Sort groups by</source>
        <translation>Gruppen sortieren nach</translation>
    </message>
    <message>
        <source>Space to reclaim, number of copies, most similar first, or folder</source>
        <translation>Freizugebender Platz, Anzahl der Kopien, ähnlichste zuerst oder Ordner</translation>
    </message>
    <message>
        <source>Which copies count: any two files; only a file against one in another searched folder (a backup against the library); or only files inside the same folder (bursts, edits)</source>
        <translation>Welche Kopien zählen: zwei beliebige Dateien; nur eine Datei gegen eine in einem anderen durchsuchten Ordner (eine Sicherung gegen die Sammlung); oder nur Dateien im selben Ordner (Serienbilder, Bearbeitungen)</translation>
    </message>
    <message>
        <source>Which copies to compare</source>
        <translation>Welche Kopien verglichen werden</translation>
    </message>
    <message>
        <source>Everything, only across the searched folders, or only within each searched folder</source>
        <translation>Alles, nur zwischen den durchsuchten Ordnern oder nur innerhalb jedes durchsuchten Ordners</translation>
    </message>
    <message>
        <source>&amp;Hide unremovable</source>
        <translation>Nicht Entfernbare &amp;ausblenden</translation>
    </message>
    <message>
        <source>Hide groups where every copy is in a reference folder or is a hard link of another: nothing can be removed from them</source>
        <translation>Gruppen ausblenden, in denen jede Kopie in einem Referenzordner liegt oder ein harter Link einer anderen ist: aus ihnen kann nichts entfernt werden</translation>
    </message>
    <message>
        <source>Hide groups with nothing to remove</source>
        <translation>Gruppen ohne Entfernbares ausblenden</translation>
    </message>
    <message>
        <source>Groups whose copies are all in reference folders or all hard links are not listed</source>
        <translation>Gruppen, deren Kopien alle in Referenzordnern liegen oder alle harte Links sind, werden nicht aufgeführt</translation>
    </message>
    <message>
        <source>file disappeared during the scan</source>
        <translation>Datei ist während der Suche verschwunden</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>Zugriff verweigert</translation>
    </message>
    <message>
        <source>is a folder, not a file</source>
        <translation>ist ein Ordner, keine Datei</translation>
    </message>
    <message>
        <source>image too large to decode safely (over {limit} megapixels)</source>
        <translation>Bild zu groß zum sicheren Dekodieren (über {limit} Megapixel)</translation>
    </message>
    <message>
        <source>not an image, or a format dupeview cannot read</source>
        <translation>kein Bild oder ein Format, das dupeview nicht lesen kann</translation>
    </message>
    <message>
        <source>image too large to decode within the memory budget (needs about {need} GiB of pixels; the limit is {limit} GiB)</source>
        <translation>Bild zu groß für den Speicherrahmen (braucht etwa {need} GiB für die Pixel; die Grenze ist {limit} GiB)</translation>
    </message>
    <message>
        <source>not a regular file ({kind}); only files are read</source>
        <translation>keine normale Datei ({kind}); nur Dateien werden gelesen</translation>
    </message>
    <message>
        <source>not enough memory to decode this image</source>
        <translation>nicht genug Arbeitsspeicher, um dieses Bild zu dekodieren</translation>
    </message>
    <message>
        <source>image is truncated (incomplete file)</source>
        <translation>Bild ist abgeschnitten (unvollständige Datei)</translation>
    </message>
    <message>
        <source>cannot read: {why}</source>
        <translation>nicht lesbar: {why}</translation>
    </message>
    <message>
        <source>damaged image ({detail})</source>
        <translation>beschädigtes Bild ({detail})</translation>
    </message>
    <message>
        <source>file too large (over 2 GiB)</source>
        <translation>Datei zu groß (über 2 GiB)</translation>
    </message>
    <message>
        <source>file changed while it was being read</source>
        <translation>Datei hat sich beim Lesen geändert</translation>
    </message>
    <message>
        <source>empty file (0 bytes)</source>
        <translation>leere Datei (0 Byte)</translation>
    </message>
    <message>
        <source>damaged {format} image (cannot be decoded)</source>
        <translation>beschädigtes {format}-Bild (nicht dekodierbar)</translation>
    </message>
    <message>
        <source>camera RAW support (rawpy) is not installed</source>
        <translation>Unterstützung für Kamera-RAW (rawpy) ist nicht installiert</translation>
    </message>
    <message>
        <source>damaged camera RAW (no picture in it)</source>
        <translation>beschädigtes Kamera-RAW (kein Bild darin)</translation>
    </message>
    <message>
        <source>unknown camera RAW: LibRaw cannot read it</source>
        <translation>unbekanntes Kamera-RAW: LibRaw kann es nicht lesen</translation>
    </message>
    <message>
        <source>RAW image too large to decode safely</source>
        <translation>RAW-Bild zu groß zum sicheren Dekodieren</translation>
    </message>
    <message>
        <source>damaged or truncated camera RAW (LibRaw could not read its picture data)</source>
        <translation>beschädigtes oder abgeschnittenes Kamera-RAW (LibRaw konnte die Bilddaten nicht lesen)</translation>
    </message>
    <message>
        <source>damaged camera RAW (LibRaw: {detail})</source>
        <translation>beschädigtes Kamera-RAW (LibRaw: {detail})</translation>
    </message>
    <message>
        <source>damaged camera RAW</source>
        <translation>beschädigtes Kamera-RAW</translation>
    </message>
    <message>
        <source>timed out while reading (no answer within {limit} s); skipped</source>
        <translation>Zeitüberschreitung beim Lesen (keine Antwort innerhalb von {limit} s); übersprungen</translation>
    </message>
    <message>
        <source>the image decoder crashed on this file</source>
        <translation>der Bilddekodierer ist an dieser Datei abgestürzt</translation>
    </message>
    <message>
        <source>The scan stopped because of an unexpected error: {detail}</source>
        <translation>Die Suche wurde wegen eines unerwarteten Fehlers abgebrochen: {detail}</translation>
    </message>
    <message>
        <source>Comparing the images failed because of an unexpected error: {detail}</source>
        <translation>Der Vergleich der Bilder ist wegen eines unerwarteten Fehlers fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Grouping the images failed because of an unexpected error: {detail}</source>
        <translation>Das Gruppieren der Bilder ist wegen eines unerwarteten Fehlers fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Filtering the groups failed because of an unexpected error: {detail}</source>
        <translation>Das Filtern der Gruppen ist wegen eines unerwarteten Fehlers fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Your earlier &quot;not duplicates&quot; choices could not be read: {detail}</source>
        <translation>Ihre früheren „Keine Duplikate“-Entscheidungen konnten nicht gelesen werden: {detail}</translation>
    </message>
    <message>
        <source>Could not remember this choice: {detail}</source>
        <translation>Diese Entscheidung konnte nicht gespeichert werden: {detail}</translation>
    </message>
    <message>
        <source>Restoring the files failed: {detail}</source>
        <translation>Das Wiederherstellen der Dateien ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>The action log could not be read: {detail}</source>
        <translation>Das Aktionsprotokoll konnte nicht gelesen werden: {detail}</translation>
    </message>
    <message>
        <source>The saved review could not be opened: {detail}</source>
        <translation>Die gespeicherte Sichtung konnte nicht geöffnet werden: {detail}</translation>
    </message>
    <message>
        <source>Moving the files to the trash failed: {detail}</source>
        <translation>Das Verschieben der Dateien in den Papierkorb ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Deleting the files failed: {detail}</source>
        <translation>Das Löschen der Dateien ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Moving the files failed: {detail}</source>
        <translation>Das Verschieben der Dateien ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Copying the files failed: {detail}</source>
        <translation>Das Kopieren der Dateien ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Replacing the files with hard links failed: {detail}</source>
        <translation>Das Ersetzen der Dateien durch harte Links ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>Replacing the files with symbolic links failed: {detail}</source>
        <translation>Das Ersetzen der Dateien durch symbolische Links ist fehlgeschlagen: {detail}</translation>
    </message>
    <message>
        <source>a named pipe</source>
        <translation>eine benannte Pipe</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>ein Gerät</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>ein Socket</translation>
    </message>
    <message>
        <source>a folder</source>
        <translation>ein Ordner</translation>
    </message>
    <message>
        <source>a symbolic link</source>
        <translation>ein symbolischer Link</translation>
    </message>
    <message>
        <source>not a file</source>
        <translation>keine Datei</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare copies</source>
        <translation>Kopien vergleichen</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Hold to flip</source>
        <translation>Halten zum Tauschen</translation>
    </message>
    <message>
        <source>Fit both images to the window (F)</source>
        <translation>Beide Bilder ins Fenster einpassen (F)</translation>
    </message>
    <message>
        <source>Real size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <source>Show the left image at its real pixels (1)</source>
        <translation>Das linke Bild in seinen echten Pixeln zeigen (1)</translation>
    </message>
    <message>
        <source>Zoom in (+ or the mouse wheel)</source>
        <translation>Vergrößern (+ oder das Mausrad)</translation>
    </message>
    <message>
        <source>Zoom out (-)</source>
        <translation>Verkleinern (-)</translation>
    </message>
    <message>
        <source>Press and hold (or hold Space) to swap the two images in place</source>
        <translation>Gedrückt halten (oder die Leertaste halten), um die beiden Bilder an Ort und Stelle zu tauschen</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>Markieren</translation>
    </message>
    <message>
        <source>Keep this one</source>
        <translation>Diese behalten</translation>
    </message>
    <message>
        <source>Mark this copy for the next action on the marked files (M for the right one)</source>
        <translation>Diese Kopie für die nächste Aktion mit den markierten Dateien markieren (M für die rechte)</translation>
    </message>
    <message>
        <source>Keep this copy and mark every other copy of the group (K for the right one)</source>
        <translation>Diese Kopie behalten und alle anderen Kopien der Gruppe markieren (K für die rechte)</translation>
    </message>
    <message>
        <source>Mark the {side} copy</source>
        <translation>Die {side} Kopie markieren</translation>
    </message>
    <message>
        <source>Keep the {side} copy</source>
        <translation>Die {side} Kopie behalten</translation>
    </message>
    <message>
        <source>left</source>
        <translation>linke</translation>
    </message>
    <message>
        <source>right</source>
        <translation>rechte</translation>
    </message>
    <message>
        <source>Left picture</source>
        <translation>Linkes Bild</translation>
    </message>
    <message>
        <source>Right picture</source>
        <translation>Rechtes Bild</translation>
    </message>
    <message>
        <source>Drag to pan, wheel to zoom; both pictures move together</source>
        <translation>Ziehen zum Verschieben, Mausrad zum Zoomen; beide Bilder bewegen sich gemeinsam</translation>
    </message>
    <message>
        <source>Left copy&apos;s facts</source>
        <translation>Angaben zur linken Kopie</translation>
    </message>
    <message>
        <source>Right copy&apos;s facts</source>
        <translation>Angaben zur rechten Kopie</translation>
    </message>
    <message>
        <source>Drag to pan both · wheel to zoom both · hold Space to flip · F fit · 1 real size · ← → other copies · M mark · K keep · V view</source>
        <translation>Ziehen verschiebt beide · Mausrad zoomt beide · Leertaste halten zum Umschalten · F einpassen · 1 Originalgröße · ← → andere Kopien · M markieren · K behalten · V Ansicht</translation>
    </message>
    <message>
        <source>{score} % similar to the left</source>
        <translation>{score} % ähnlich zur linken</translation>
    </message>
    <message>
        <source>Not marked: {why}.</source>
        <translation>Nicht markiert: {why}.</translation>
    </message>
    <message>
        <source>Kept {name}; the other copies of the group are marked.</source>
        <translation>{name} behalten; die anderen Kopien der Gruppe sind markiert.</translation>
    </message>
    <message>
        <source>Marked</source>
        <translation>Markiert</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <source>{changed:.1%} of the picture differs · mean difference {mean:.1%}</source>
        <translation>{changed:.1%} des Bildes unterscheiden sich · mittlerer Unterschied {mean:.1%}</translation>
    </message>
</context>
<context>
    <name>GroupView</name>
    <message>
        <source>Copies in this group</source>
        <translation>Kopien in dieser Gruppe</translation>
    </message>
    <message>
        <source>One card per copy. Tab or the arrow keys move between them; Space marks the selected copy; the menu key opens its actions</source>
        <translation>Eine Karte pro Kopie. Tab oder die Pfeiltasten wechseln zwischen ihnen; die Leertaste markiert die ausgewählte Kopie; die Menütaste öffnet ihre Aktionen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Settings were reset: {why}</source>
        <translation>Die Einstellungen wurden zurückgesetzt: {why}</translation>
    </message>
    <message>
        <source>Files that were not compared, and why</source>
        <translation>Dateien, die nicht verglichen wurden, und warum</translation>
    </message>
    <message>
        <source>Settings could not be saved: {why}</source>
        <translation>Die Einstellungen konnten nicht gespeichert werden: {why}</translation>
    </message>
    <message>
        <source>Scan options changed: scan again to apply them.</source>
        <translation>Die Optionen zum Durchsuchen haben sich geändert: Erneut durchsuchen, um sie anzuwenden.</translation>
    </message>
    <message>
        <source>Scan now</source>
        <translation>Jetzt durchsuchen</translation>
    </message>
    <message>
        <source>Scan again to include the new folders.</source>
        <translation>Erneut durchsuchen, um die neuen Ordner einzubeziehen.</translation>
    </message>
    <message>
        <source>Add at least one folder to search first.</source>
        <translation>Fügen Sie zuerst mindestens einen zu durchsuchenden Ordner hinzu.</translation>
    </message>
    <message>
        <source>These folders do not exist (any more) and will be skipped: </source>
        <translation>Diese Ordner gibt es nicht (mehr); sie werden übersprungen: </translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>Erneut durchsuchen</translation>
    </message>
    <message>
        <source>Not marked: {why}.</source>
        <translation>Nicht markiert: {why}.</translation>
    </message>
    <message>
        <source>Marked {n} copies: the best copy of each group is kept.</source>
        <translation>{n} Kopien markiert: Die beste Kopie jeder Gruppe wird behalten.</translation>
    </message>
    <message>
        <source>The {n} pictures of this group will not be shown as duplicates again.</source>
        <translation>Die {n} Bilder dieser Gruppe werden nicht mehr als Duplikate gezeigt.</translation>
    </message>
    <message>
        <source>{name} will not be shown with these pictures again.</source>
        <translation>{name} wird nicht mehr mit diesen Bildern gezeigt.</translation>
    </message>
    <message>
        <source>Every file was compared.</source>
        <translation>Alle Dateien wurden verglichen.</translation>
    </message>
    <message>
        <source>Scan for duplicates</source>
        <translation>Nach Duplikaten suchen</translation>
    </message>
    <message>
        <source>Delete marked…</source>
        <translation>Endgültig löschen …</translation>
    </message>
    <message>
        <source>Trash marked…</source>
        <translation>In den Papierkorb …</translation>
    </message>
    <message>
        <source>&amp;Delete marked permanently…</source>
        <translation>Markierte en&amp;dgültig löschen …</translation>
    </message>
    <message>
        <source>&amp;Trash marked…</source>
        <translation>Markierte in den &amp;Papierkorb …</translation>
    </message>
</context>
<context>
    <name>MemberCard</name>
    <message>
        <source>{path}
Double-click to compare with the best copy</source>
        <translation>{path}
Doppelklick zum Vergleich mit der besten Kopie</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>Markieren</translation>
    </message>
    <message>
        <source>Mark this copy for the action on the marked files: Trash marked… or Other actions (Space)</source>
        <translation>Diese Kopie für die Aktion mit den markierten Dateien markieren: Markierte in den Papierkorb … oder Weitere Aktionen (Leertaste)</translation>
    </message>
    <message>
        <source>Mark {name}</source>
        <translation>{name} markieren</translation>
    </message>
    <message>
        <source>Reference files are protected and never marked</source>
        <translation>Referenzdateien sind geschützt und werden nie markiert</translation>
    </message>
    <message>
        <source>More actions for this copy (menu key)</source>
        <translation>Weitere Aktionen für diese Kopie (Menütaste)</translation>
    </message>
    <message>
        <source>More actions for {name}</source>
        <translation>Weitere Aktionen für {name}</translation>
    </message>
    <message>
        <source>Mark, keep, compare, open or reveal this copy</source>
        <translation>Diese Kopie markieren, behalten, vergleichen, öffnen oder im Dateimanager zeigen</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Best copy</source>
        <translation>Beste Kopie</translation>
    </message>
    <message>
        <source>The copy the keep rules would keep</source>
        <translation>Die Kopie, die die Behalten-Regeln behalten würden</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>In a reference folder: protected, never marked or removed</source>
        <translation>In einem Referenzordner: geschützt, nie markiert oder entfernt</translation>
    </message>
    <message>
        <source>Identical</source>
        <translation>Identisch</translation>
    </message>
    <message>
        <source>Byte-for-byte the same file as the best copy</source>
        <translation>Byte für Byte dieselbe Datei wie die beste Kopie</translation>
    </message>
    <message>
        <source>Hard link</source>
        <translation>Harter Link</translation>
    </message>
    <message>
        <source>Shares its data with another copy: removing it frees no space</source>
        <translation>Teilt ihre Daten mit einer anderen Kopie: Entfernen gibt keinen Platz frei</translation>
    </message>
    <message>
        <source>marked</source>
        <translation>markiert</translation>
    </message>
    <message>
        <source>not marked</source>
        <translation>nicht markiert</translation>
    </message>
    <message>
        <source>Differs from the best copy in: {facts}.</source>
        <translation>Unterscheidet sich von der besten Kopie in: {facts}.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
</context>
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
        <source>Do not group a camera&apos;s RAW with the JPEG beside it</source>
        <translation>RAW-Datei der Kamera nicht mit dem JPEG daneben gruppieren</translation>
    </message>
    <message>
        <source>IMG_0001.CR2 and IMG_0001.JPG in one folder are one shot kept twice on purpose</source>
        <translation>IMG_0001.CR2 und IMG_0001.JPG in einem Ordner sind eine Aufnahme, absichtlich zweimal gespeichert</translation>
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
        <source>Similarity threshold</source>
        <translation>Ähnlichkeitsschwelle</translation>
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
        <translation>Gedrehte/gespiegelte Kopien finden</translation>
    </message>
    <message>
        <source>Also group copies that were turned by 90°/180°/270° or mirrored</source>
        <translation>Auch Kopien gruppieren, die um 90°/180°/270° gedreht oder gespiegelt wurden</translation>
    </message>
    <message>
        <source>Very close</source>
        <translation>Sehr nah</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Nah</translation>
    </message>
    <message>
        <source>Very loose</source>
        <translation>Sehr großzügig</translation>
    </message>
    <message>
        <source>How alike two pictures must be to count as copies, in named steps from Identical to Very loose.
Each step lets fingerprints differ in two more bits of 64. Moving it regroups at once: no rescan.</source>
        <translation>Wie ähnlich zwei Bilder sein müssen, um als Kopien zu gelten, in benannten Stufen von Identisch bis Sehr großzügig.
Jede Stufe erlaubt zwei Bits von 64 mehr Unterschied der Fingerabdrücke. Verschieben gruppiert sofort neu: ohne neues Durchsuchen.</translation>
    </message>
    <message>
        <source>{step}: fingerprints at most {d} of 64 bits apart</source>
        <translation>{step}: Fingerabdrücke höchstens {d} von 64 Bits verschieden</translation>
    </message>
</context>
</TS>
