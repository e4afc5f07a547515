"""Running nodes with Hamilton: the runner, progress hooks, inputs, tracebacks, the result
cache's size."""
