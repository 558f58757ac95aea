"""Face verification: decoding (images), comparison (matcher) and the worker process (worker).

Importing this package is light; dlib and the models load when a FaceMatcher is created.
"""
