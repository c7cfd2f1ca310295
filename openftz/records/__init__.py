"""Electronic transferable records (电子可转让记录): e-bills of lading (DCSA eBL 3.0) and e-warehouse receipts."""
