"""Builds the compiled walk of the e-invoice parser (``openftz/einvoice/_walk.pyx``); everything else is in
pyproject.toml. The extension is optional: where no C compiler works, the install goes on and the pure-Python walk
is used (``openftz.einvoice.parse.WALK`` says which)."""
import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler failure leaves the Python walk in use
            print(f"openftz: the compiled e-invoice walk was not built ({exc}); the Python walk is used")

    def copy_extensions_to_source(self):
        try:
            super().copy_extensions_to_source()
        except Exception as exc:  # noqa: BLE001 - nothing was built to copy
            print(f"openftz: no compiled e-invoice walk to install ({exc})")


setup(
    ext_modules=cythonize(
        [Extension("openftz.einvoice._walk", ["openftz/einvoice/_walk.pyx"], include_dirs=lxml.get_include())],
        compiler_directives={"language_level": "3"}, quiet=True),
    cmdclass={"build_ext": OptionalBuildExt},
)
