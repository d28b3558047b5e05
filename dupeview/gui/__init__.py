"""The PySide6 desktop app: thin views over the engine."""
