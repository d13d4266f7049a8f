"""Hostile input and faults: what the catalogue, the batch CSV, the verifier and the build
withstand."""
