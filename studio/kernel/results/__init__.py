"""Results kept in the kernel: the console's namespace, summaries, table views, trees,
comparisons."""
