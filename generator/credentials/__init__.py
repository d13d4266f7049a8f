"""Issued certificates as signed W3C Verifiable Credentials (eddsa-jcs-2022) and their checking.

Three jobs, one subpackage each:

- `formats`: the record formats and their cryptography, pure functions mirrored module by module
  by the verify page (`site_src/assets/verify/`): `jcs` (the bytes that are signed), `multibase`,
  `proof` (Data Integrity proofs), `record`, `status` (Bitstring Status List), `registry` (the
  root-signed key registry), `verify` (verdicts), `lookup` (sealed look-up entries), `errors`;
- `issuing`: what an organization runs: `keys` (the signer and encrypted key files), `keyops`
  (changes to the registry), `issue` (CSV batches), `revocation`, `demo`;
- `publishing`: the build stage: `publish` (verify everything, then publish), `shards`, and the
  caches and manifest that make rebuilds incremental.

`paths` names every repository and site path; `repo` reads and writes the registry and status
lists of a repository.
"""
