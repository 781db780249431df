"""Turning the press office's plain-text releases into records: parse (pure), then save."""
