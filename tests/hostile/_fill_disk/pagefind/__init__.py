"""A stand-in for the `pagefind` package, put first on PYTHONPATH by
tests/hostile/test_disk_full.py."""
