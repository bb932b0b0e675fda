"""Independent pure-Python reference implementations used by the Python tests.

Nothing here imports torus: these modules are the truth that the C++ code is compared against.
pytest puts tests/python on sys.path (rootdir-relative "prepend" import mode), so a test imports
them as `from reference import ns2d_fno_numpy`.
"""
