"""dupeview: find duplicate and near-duplicate photos and trash the extra copies safely."""

__version__ = "0.1.0"
APP_NAME = "dupeview"
APP_ID = "io.github.dupeview.Dupeview"
