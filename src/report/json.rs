//! The JSON report: the contract in PRODUCT.md, pretty-printed, keys in a fixed order.

use super::Report;

pub fn to_json(report: &Report) -> String {
    // INVARIANT: a Report holds only strings, numbers and lists, which always serialize.
    let mut out = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"verdict\":\"error\",\"message\":\"{e}\"}}"));
    out.push('\n');
    out
}
