"""forewarn: content warnings for fan fiction."""
