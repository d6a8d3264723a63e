//! The baseline `benches/run.sh` compares `check` with: a bare typed serde_json parse of an NDJSON
//! plan, read the same way `check` reads one (streamed through a 1 MiB buffer, line by line),
//! and nothing else. Prints the number of records read.
//!
//! Usage: cargo run --release --example bare_parse -- PLAN.ndjson

use std::io::BufRead;

#[derive(serde::Deserialize)]
#[allow(dead_code)] // the fields are read, which is all the baseline does
struct Record<'a> {
    id: Option<&'a str>,
    party: &'a str,
    product: &'a str,
    cloud: &'a str,
    channel: Option<&'a str>,
    date: &'a str,
    azure_declined: Option<bool>,
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_parse PLAN.ndjson");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot open {path}: {e}");
            std::process::exit(2);
        }
    };
    let mut input = std::io::BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::new();
    let (mut records, mut bad) = (0u64, 0u64);
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(2);
            }
        }
        match serde_json::from_slice::<Record<'_>>(line.trim_ascii_end()) {
            Ok(r) => records += u64::from(!r.party.is_empty()),
            Err(_) => bad += 1,
        }
    }
    println!("{records} records, {bad} unreadable");
}
