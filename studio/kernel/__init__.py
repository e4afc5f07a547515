"""Code that runs where the project's code runs (the Jupyter kernel, or the
headless CLI): importing modules, building Hamilton drivers. No Qt here."""
