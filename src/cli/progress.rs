//! The progress bar of a long `check`: on standard error, only on a terminal, only after two
//! seconds, never in CI (`CI` set), with `--quiet`, or where `TERM=dumb`.

use std::time::{Duration, Instant};

use clausecheck::check::run::{Phase, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const AFTER: Duration = Duration::from_secs(2);

pub struct Bar {
    bar: Option<ProgressBar>,
    shown: bool,
    phase: Option<Phase>,
    started: Instant,
    input_bytes: u64,
}

impl Bar {
    pub fn new(quiet: bool, input_bytes: u64) -> Bar {
        let wanted = !quiet
            && super::io::stderr_is_terminal()
            && std::env::var_os("CI").is_none_or(|v| v.is_empty())
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        let bar = wanted.then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()));
        Bar { bar, shown: false, phase: None, started: Instant::now(), input_bytes }
    }

    pub fn update(&mut self, p: Progress) {
        let Some(bar) = &self.bar else { return };
        if !self.shown {
            if self.started.elapsed() < AFTER {
                return;
            }
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        if self.phase != Some(p.phase) {
            self.phase = Some(p.phase);
            let (template, length) = match p.phase {
                Phase::Reading => {
                    ("reading  [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}", self.input_bytes)
                }
                Phase::Checking => (
                    "checking [{bar:30}] {pos}/{len} records, {per_sec}, {msg} eta {eta}",
                    p.total.unwrap_or(0),
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_length(length);
            bar.reset();
        }
        bar.set_position(p.done);
        if p.phase == Phase::Checking {
            bar.set_message(format!("{} violated", p.violated));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
