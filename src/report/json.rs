//! The JSON report: the contract in PRODUCT.md, pretty-printed, keys in a fixed order.

use std::io::{self, Write};

use super::Report;

/// The report as one string (for tests and small reports).
pub fn to_json(report: &Report) -> String {
    let mut out = Vec::new();
    // INVARIANT: writing to a Vec cannot fail, and a Report holds only strings, numbers and lists.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as it is serialized, without holding the whole text in memory (a report of a
/// million deployments is gigabytes of JSON).
pub fn write_json(report: &Report, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
