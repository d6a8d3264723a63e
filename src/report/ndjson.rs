//! NDJSON: one line per deployment as it is decided, one per record error in its place, then a
//! summary line. Each deployment line is the object the JSON report lists, with `"type"` first.

use std::io::{self, Write};

use super::json::{plan_failed_line, summary_line};
use super::{End, Sink, Start};
use crate::check::PlanInfo;
use crate::plan::PlanError;

pub(super) struct NdjsonSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    buf: Vec<u8>,
}

impl<'w> NdjsonSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>) -> NdjsonSink<'w> {
        NdjsonSink { out, buf: Vec::new() }
    }

    fn line(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.out.write_all(b"\n")
    }
}

impl Sink for NdjsonSink<'_> {
    fn begin(&mut self, _: &Start<'_>) -> io::Result<()> {
        Ok(())
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        self.buf.clear();
        plan_failed_line(plan, error, &mut self.buf);
        let line = std::mem::take(&mut self.buf);
        self.line(&line)?;
        self.buf = line;
        Ok(())
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.line(bytes)
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.line(bytes)
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        self.buf.clear();
        summary_line(end, &mut self.buf);
        let line = std::mem::take(&mut self.buf);
        self.line(&line)?;
        self.out.flush()
    }
}
