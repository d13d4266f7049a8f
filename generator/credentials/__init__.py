"""Issued certificates as signed W3C Verifiable Credentials (eddsa-jcs-2022) and their checking.

One module per job: `jcs` (the bytes that are signed), `multibase` (key and signature
encodings), `proof` (Data Integrity proofs), `keys` (the signer and encrypted key files),
`registry` (the root-signed key registry), `keyops` (changes to it), `status` (Bitstring Status
List), `revocation`, `record` (the certificate record), `verify` (verdicts), `issue` (CSV
batches), `publish` (the build step), `demo` (demo keys and records).
"""
