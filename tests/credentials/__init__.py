"""Tests of issued certificates (generator/credentials)."""
