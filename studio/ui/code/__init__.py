"""Showing Python source: a code view with line numbers and Pygments colours."""
