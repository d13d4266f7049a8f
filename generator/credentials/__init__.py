"""Issued certificates as signed W3C Verifiable Credentials (eddsa-jcs-2022) and their checking.

Three jobs, one subpackage each:

- `formats`: the record formats and their cryptography, pure functions mirrored module by module
  by the verify page (`site_src/assets/verify/`): `jcs` (the bytes that are signed), `multibase`,
  `proof` (Data Integrity proofs), `record`, `status` (Bitstring Status List), `registry` (the
  root-signed key registry), `verify` (verdicts), `sealing` (sealed look-up entries, mirrored
  by lookup.js), `batch` (the signed sealed batch), `errors`;
- `issuing`: what an organization runs: `keys` (the signer and encrypted key files), `keyops`
  (changes to the registry), `issue` (reading CSV batches), `sealed` (issuing them: the store's
  records, the sealed batch), `store` (the private store), `holder` (the holder's QR code and
  baked images), `revocation`, `demo`;
- `publishing`: the build stage: `publish` (verify everything, then publish), `batches` (sealed
  batches → shards, incrementally), `plaintext` (the fence against holders' records in the tree).

`paths` names every repository and site path; `repo` reads and writes the registry and status
lists of a repository.
"""
