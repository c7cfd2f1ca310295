"""The verifiable ledger (可验证账本): an append-only Merkle log in the style of Certificate Transparency (RFC 9162)."""
