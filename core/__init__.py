"""Helpers every app uses. This package imports no app of ours (import-linter checks it)."""
