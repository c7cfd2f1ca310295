"""Shared kernel of OpenFTZ: citations, findings, effective-dated parameters, errors.

Nothing here imports an app; every app may import this package.
"""
