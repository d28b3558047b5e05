"""Small files go to the decoders in bigger batches."""

from __future__ import annotations

from dupeview.core import scanner


def test_small_files_go_to_the_decoders_in_bigger_batches() -> None:
    assert scanner.batch_size(None, [3_000] * 100) == scanner.SMALL_FILE_BATCH
    assert scanner.batch_size(None, [3_000_000] * 100) == scanner.BATCH
    assert scanner.batch_size(None, [3_000] * 40 + [3_000_000] * 60) == scanner.BATCH  # mostly photos
    assert scanner.batch_size(None, None) == scanner.BATCH
    assert scanner.batch_size(3, [3_000] * 100) == 3  # asked for: as asked
