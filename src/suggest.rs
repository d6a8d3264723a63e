//! "Did you mean" suggestions for misspelt names, shared by the resolver and the plan reader.

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
///
/// A case-insensitive exact match wins; then one edit or one swap of neighbouring letters (`gpc` for
/// `gcp`); then Jaro–Winkler similarity, kind to transposed and dropped letters (`azrue` for `azure`). Ties keep the earlier candidate, so
/// the answer is deterministic.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        let other = candidate.to_lowercase();
        let score = if other == lower {
            2.0
        } else if lower.chars().count() > 1 && strsim::osa_distance(&lower, &other) == 1 {
            // One letter off or two swapped (`gpc` for `gcp`): a typo however short the name.
            1.5
        } else {
            strsim::jaro_winkler(&lower, &other)
        };
        if score >= 0.8 && best.is_none_or(|(_, b)| score > b) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

/// `did you mean `x`?` for the closest candidate, if any.
pub fn help<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOUDS: [&str; 4] = ["azure", "aws", "gcp", "oracle"];

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("azrue", CLOUDS), Some("azure"));
        assert_eq!(did_you_mean("gpc", CLOUDS), Some("gcp"));
        assert_eq!(did_you_mean("AWS", CLOUDS), Some("aws"));
        assert_eq!(did_you_mean("oracel", CLOUDS), Some("oracle"));
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("ibm", CLOUDS), None);
        assert_eq!(did_you_mean("", CLOUDS), None);
        assert_eq!(help("kubernetes", CLOUDS), None);
    }
}
