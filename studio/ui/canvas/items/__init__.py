"""Graphics items of the canvas: nodes, edges and module regions."""
