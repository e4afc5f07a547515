"""Showing results that live in the kernel: tables, trees, images, text."""
