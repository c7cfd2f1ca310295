"""Government procurement in the zone (政府采购, SH-71…SH-86, SC-47…SC-61): compliance checks over OCDS data."""
