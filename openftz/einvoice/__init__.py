"""E-invoices (电子发票): EN 16931 / Peppol BIS Billing 3.0 parsing and validation (SC-29, SH-44)."""
