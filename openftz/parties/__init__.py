"""The directory of enterprises (企业名录) used across OpenFTZ: names, identifiers, contacts and public keys."""
