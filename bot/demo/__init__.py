"""Demo data, not the product: invented records and sample e-mails for a first run.

`enquiry-desk demo` uses it to give a newcomer a working office to look at, and the
benchmarks and tests use it for volume. The service itself never imports it: only the
`demo` command does, when it runs.

- `records`: deterministic synthetic case and ticket records in the import contract's
  columns (CSV or JSON Lines), a million rows in seconds.
- `inbox`: realistic sample enquiries from the public, with their ground truth, written
  into a Maildir.
- `accounts`: desk accounts for the demo, passwords in an owner-only file.
- `seed`: the `enquiry-desk demo` command's work: records through the real import, then
  the sample inbox.
"""
