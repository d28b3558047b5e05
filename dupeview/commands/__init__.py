"""The CLI's subcommands, one module each; dupeview/cli.py builds the parser and dispatches to them."""
