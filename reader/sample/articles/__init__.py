"""The hand-written posts of the sample site, one module per section."""
