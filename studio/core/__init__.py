"""Pure-Python model of a dataflow project: no Qt, no imports of project code."""
