"""A transparency log: RFC 9162 Merkle hashing and proofs, C2SP tiles, checkpoints, signed notes and cosignatures.

Pure code without I/O; the results service stores the hashes and signs, the gateway, `veche verify` and
`veche witness` check (docs/verifiability.md).
"""
