"""The graph canvas: scene, view, items, and the layout worker."""
