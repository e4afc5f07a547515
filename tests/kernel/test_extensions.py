"""Hamilton's extensions load for the libraries a project imports, not for all installed."""

import subprocess
import sys
import textwrap

from studio.core.discovery import discover, imported_packages


def test_kernel_code_starts_hamilton_without_every_installed_extension(tmp_path):
    (tmp_path / "flow.py").write_text(
        "import dask.dataframe as dd\n\n\ndef a() -> int:\n    return 1\n"
    )
    (tmp_path / "helpers.py").write_text("import polars\n")
    assert {"dask", "polars"} <= imported_packages(discover(tmp_path))
    code = textwrap.dedent(
        """
        import sys
        import studio.kernel.agent
        from hamilton import registry
        from studio.kernel.extensions import load_extensions_for
        print(sorted(m for m in ("dask", "matplotlib", "plotly") if m in sys.modules))
        print(sorted(registry.DF_TYPE_AND_COLUMN_TYPES))
        load_extensions_for({"dask"})
        print(sorted(registry.DF_TYPE_AND_COLUMN_TYPES))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.splitlines() == ["[]", "[]", "['dask', 'pandas']"]
