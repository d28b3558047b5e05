"""Helpers that make real test images with Pillow."""
