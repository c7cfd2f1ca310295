"""Builds the compiled walk of the e-invoice parser (``openftz/einvoice/_walk.pyx``); everything else is in
pyproject.toml. The extension is optional: where no C compiler is found the pure-Python walk is used."""
import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize(
    [Extension("openftz.einvoice._walk", ["openftz/einvoice/_walk.pyx"], include_dirs=lxml.get_include(),
               optional=True)],
    compiler_directives={"language_level": "3"}, quiet=True))
