"""Before each load the kernel forgets the project's modules (`purge_project_modules`).

A save's purge remembers the modules it let stay (most of a kernel's 1,000-2,000),
so it does not test them again; what it forgets must stay what testing every
module would forget.
"""

import sys
from types import ModuleType

from studio.kernel.loading.fresh_import import purge_project_modules


def module(name: str, file: str) -> ModuleType:
    made = ModuleType(name)
    made.__file__ = file
    sys.modules[name] = made
    return made


def test_each_purge_forgets_the_projects_modules_and_keeps_the_others(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "s2_probe_own.py").write_text("x = 1\n")
    elsewhere = tmp_path / "library" / "s2_probe_lib.py"
    elsewhere.parent.mkdir()
    elsewhere.write_text("y = 2\n")
    library = module("s2_probe_lib", str(elsewhere))
    try:
        for _ in range(3):
            module("s2_probe_own", str(root / "s2_probe_own.py"))
            purged = purge_project_modules({root})
            assert "s2_probe_own" in purged and "s2_probe_own" not in sys.modules
            assert sys.modules["s2_probe_lib"] is library
        # A module kept before whose file now lies in the project goes.
        (root / "s2_probe_lib.py").write_text("y = 3\n")
        library.__file__ = str(root / "s2_probe_lib.py")
        assert "s2_probe_lib" in purge_project_modules({root})
        # One put back under the same name as another object is tested afresh.
        module("s2_probe_lib", str(root / "s2_probe_lib.py"))
        assert "s2_probe_lib" in purge_project_modules({root})
        # Named like a module of the dataflow, a module goes wherever it lies.
        module("s2_probe_lib", str(elsewhere))
        assert purge_project_modules({root}) == []
        assert purge_project_modules({root}, ["s2_probe_lib"]) == ["s2_probe_lib"]
    finally:
        sys.modules.pop("s2_probe_lib", None)
        sys.modules.pop("s2_probe_own", None)
