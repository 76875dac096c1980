"""pip install --no-build-isolation . : builds the sluice Python module with CMake (the same
build as `make build`, nothing fetched) and installs the package python/sluice with it."""

import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Builds the target sluice_python in SLUICE_BUILD_DIR (default: build/) for the python3
    that runs pip, and copies the extension into the wheel."""

    def build_extension(self, ext):
        build_dir = os.environ.get("SLUICE_BUILD_DIR", os.path.join(ROOT, "build"))
        subprocess.check_call(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja",
                               "-DCMAKE_BUILD_TYPE=Release",
                               "-DPython3_EXECUTABLE=" + sys.executable])
        jobs = os.environ.get("SLUICE_JOBS", str(os.cpu_count() or 1))
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "sluice_python",
                               "-j", jobs])
        built = os.path.join(build_dir, "python", "sluice")
        name = next(f for f in os.listdir(built) if f.startswith("_sluice") and f.endswith(".so"))
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(os.path.join(built, name), target)


setup(
    name="sluice",
    version="0.1.0",
    description="Sluice: SQL and a PySpark-shaped DataFrame API over a C++ batch engine",
    packages=["sluice"],
    package_dir={"": "python"},
    ext_modules=[CMakeExtension("sluice._sluice")],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    zip_safe=False,
)
