"""The names engine compiled to C with mypyc, used only while the build matches the sources.

Bulk screening spends a few hundred microseconds of interpreted Python per name pairing words, reading
names and gathering candidates (``benchmarks/bench_names_speed.py``). These modules are already typed for
``mypy --strict``, which is what mypyc (mypy's compiler, the one black and mypy ship compiled with) needs to
turn the same sources into C extension modules: the answers are those of the sources, the interpreter's
work per operation is not paid.

The compiled modules are kept out of the package folder, in ``_compiled/`` beside this file (built by
``make native``, which calls ``build``), and join the package's search path
only when the stamp written at build time still matches the hash of every source of the package: an edited
module is never shadowed by an older build; the package then runs as plain Python until the next build.
``CHIPSCREEN_PURE_PYTHON=1`` runs the plain sources whatever is built (``tests/names/test_native.py``
compares the two).

Only modules on the hot path are compiled. Modules that load and check data tables are left as Python:
they run once per process, and their checks of what a YAML file holds must stay the project's own (a
compiled module rejects a value of the wrong type before the check that names the file and key).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent
COMPILED = PACKAGE / "_compiled"
STAMP = COMPILED / "stamp.json"
PURE_ENV = "CHIPSCREEN_PURE_PYTHON"
GROUP = "chipscreen.names.engine"
"""The name of the shared library mypyc builds for the compiled modules (``engine__mypyc``)."""

MODULES = (
    "abjad", "arabic", "features", "folding", "han", "index", "keys", "kinds", "misspelt", "normalize",
    "numbers", "pairing", "partners", "persons", "pinyin", "pinyin_words", "places", "romanisation", "score",
    "screener", "scripts", "similarity", "stems", "tails", "tokens", "words",
)
"""Compiled: what a screened name goes through. Not compiled: the table loaders (``lexicon``,
``thresholds``, ``abbreviations``, ``legal_forms``, ``nicknames``, ``registered_names``,
``chinese_aliases``), the caches read from disk (``index_cache``, ``index_arrays``, ``pinyin_cache``,
``romanisation_cache``) and this module."""


def source_digest() -> str:
    """What a build is valid for: every source of the package (a compiled module inlines nothing from an
    uncompiled one, but a class it builds may be declared there), the compiled list, this interpreter's ABI."""
    h = hashlib.sha256()
    h.update(json.dumps([MODULES, sysconfig.get_config_var("EXT_SUFFIX")]).encode())
    for path in sorted(PACKAGE.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def status() -> str:
    """``compiled``, or why the package runs as plain Python (for benchmarks and ``--version`` output)."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return f"plain Python ({PURE_ENV} is set)"
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "plain Python (not built: make native)"
    if stamp.get("digest") != source_digest():
        return "plain Python (the build is older than the sources: make native)"
    return "compiled"


def activate(search_path: list[str]) -> bool:
    """Put the compiled modules first on the package's search path if they match the sources."""
    if status() != "compiled":
        return False
    search_path.insert(0, str(COMPILED))
    return True


def active() -> bool:
    """Whether the modules of the package running now are the compiled ones."""
    screener = sys.modules.get("chipscreen.names.screener")
    origin = screener.__spec__.origin if screener is not None and screener.__spec__ is not None else None
    return origin is not None and Path(origin).parent == COMPILED


def source(module: ModuleType) -> Path:
    """The source file of a module of the package, compiled or not (a compiled module's ``__file__`` is its
    extension's): what a cache keyed on code must hash."""
    return PACKAGE / (module.__name__.rpartition(".")[2] + ".py")


def build(pyproject: Path | None = None) -> Path:
    """Compile ``MODULES`` and put them in place atomically (the old build stays usable until then)."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    config = pyproject or PACKAGE.parents[2] / "pyproject.toml"
    digest = source_digest()  # of the sources compiled: one edited during the build leaves the stamp stale
    with tempfile.TemporaryDirectory(prefix="chipscreen-native-") as tmp:
        work = Path(tmp)
        options = ["--config-file", str(config)] if config.is_file() else []
        extensions = mypycify([*options, *(str(PACKAGE / f"{m}.py") for m in MODULES)], opt_level="3",
                              group_name=GROUP, target_dir=str(work / "c"))
        dist = Distribution({"name": "chipscreen-native", "ext_modules": extensions})
        cmd = dist.get_command_obj("build_ext")
        cmd.build_lib, cmd.build_temp, cmd.parallel = str(work / "lib"), str(work / "tmp"), os.cpu_count() or 1
        dist.run_command("build_ext")
        staged = work / "staged"
        staged.mkdir()
        for lib in (work / "lib" / "chipscreen" / "names").glob("*" + str(sysconfig.get_config_var("EXT_SUFFIX"))):
            shutil.copy2(lib, staged / lib.name)
        (staged / "stamp.json").write_text(json.dumps({"digest": digest, "modules": MODULES}),
                                           encoding="utf-8")
        old = COMPILED.with_name("_compiled.old")
        shutil.rmtree(old, ignore_errors=True)
        if COMPILED.exists():
            COMPILED.rename(old)
        shutil.move(str(staged), COMPILED)
        shutil.rmtree(old, ignore_errors=True)
    return COMPILED
