"""Code that runs where the project's code runs (the Jupyter kernel, or the
headless CLI): importing modules, building Hamilton drivers. No Qt here.

Hamilton is started here, before any module of this package imports it,
without its extensions for every installed library: `load_project` loads
those the project uses (see `studio.kernel.loading.extensions`).
"""

from studio.kernel.loading.extensions import start_hamilton_without_extensions

start_hamilton_without_extensions()
