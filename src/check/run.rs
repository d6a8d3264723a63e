//! The passes of a run, over a spool, for any number of plans, on any number of threads.
//!
//! 1. **Read** each plan once into the spool: NDJSON in chunks parsed on every thread; CSV row by
//!    row; YAML and JSON documents whole (they are documents). The `launched(...)` index is built
//!    on the way, and the widest id noted.
//! 2. **Duplicates**: the ids of each plan are scanned from the spool ([`crate::plan::ids::Finder`]);
//!    if an id really is used twice and the rules use `launched(...)`, the index is built again
//!    without the duplicates (they are errors, and errors do not count as launches).
//! 3. **Count** (only for formats that put the totals first): every record checked, verdicts counted.
//! 4. **Check and report**: every record checked and rendered for every format, on every thread,
//!    and handed to the sinks in input order.
//! 5. **Errors apart** (only for formats that list errors after the deployments): the record
//!    errors, from the spool again.
//!
//! Output is the same whatever the number of threads: work is cut into pieces in input order and
//! the pieces are put back in that order.

use std::io::{self, BufRead, Read};
use std::ops::Range;

use super::pipeline::ordered;
use super::policy::{Mark, Usage};
use super::spool::Spool;
use super::{Checked, Checker, PlanInfo, RunVerdict, Scratch, Summary};
use crate::eval::PlanIndex;
use crate::plan::ids::Finder;
use crate::plan::ndjson::{Chunker, Parser};
use crate::plan::{self, spool as codec, PlanError, PlanFormat, Record, Schema};
use crate::report::{End, Needs, Output, Render, Sink, Start};

/// The largest YAML or JSON plan read (they are read whole); larger plans belong in NDJSON or CSV.
pub const MAX_DOCUMENT: u64 = 256 << 20;

/// Records handed to a thread at a time.
const BATCH: usize = 512;

/// A plan to check: where its text comes from, or why it cannot be read at all.
pub struct PlanInput<'a> {
    pub info: PlanInfo,
    pub source: Result<Source<'a>, PlanError>,
}

pub struct Source<'a> {
    pub format: PlanFormat,
    pub input: Box<dyn BufRead + Send + 'a>,
}

/// Which pass a run is in, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    Checking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    /// Bytes read (reading) or records checked (checking).
    pub done: u64,
    /// Records to check, once known.
    pub total: Option<u64>,
    pub violated: u64,
}

/// What a run came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub summary: Summary,
    pub verdict: RunVerdict,
    pub failed_plans: usize,
    /// What the run made of the waivers and the baseline.
    pub usage: Usage,
}

impl Finished {
    /// Warnings that fail the run under `--deny warnings`: expiry warnings and waivers that
    /// matched nothing.
    pub fn warnings(&self) -> usize {
        self.summary.warnings + self.usage.unused_waivers().count()
    }
}

struct PlanState {
    info: PlanInfo,
    failed: Option<PlanError>,
    range: Range<u64>,
    records: usize,
    index: PlanIndex,
    /// Set when some id of the plan may be used twice.
    dups: Option<Finder>,
}

impl PlanState {
    fn first_use(&self, record: &Record) -> Option<usize> {
        self.dups.as_ref()?.first_use(record.id(), record.position())
    }
}

/// Runs every plan through every output.
pub fn run(
    checker: &Checker<'_>,
    plans: Vec<PlanInput<'_>>,
    spool: &mut Spool<'_>,
    outputs: &mut [Output<'_>],
    jobs: usize,
    progress: &mut dyn FnMut(Progress),
) -> io::Result<Finished> {
    let rules = checker.rules();
    let schema = Schema::new(&rules.vocabulary);
    let mut timer = Timer::new();
    let mut width = 0usize;
    let mut states = Vec::with_capacity(plans.len());
    let mut read_bytes = 0u64;
    for plan in plans {
        let start = spool.len();
        let mut state = PlanState {
            info: plan.info,
            failed: None,
            range: start..start,
            records: 0,
            index: PlanIndex::new(rules),
            dups: None,
        };
        match plan.source {
            Err(e) => state.failed = Some(e),
            Ok(source) => read(
                checker,
                &schema,
                source,
                spool,
                jobs,
                &mut state,
                &mut width,
                &mut read_bytes,
                progress,
            )?,
        }
        state.range = start..spool.len();
        states.push(state);
    }
    timer.lap("read");
    for state in &mut states {
        duplicates(checker, spool, state)?;
    }
    timer.lap("duplicates");
    let failed_plans = states.iter().filter(|s| s.failed.is_some()).count();
    let total: u64 = states.iter().map(|s| s.records as u64).sum();
    let needs: Vec<Needs> = outputs.iter().map(|o| o.sink.needs()).collect();
    let policy = &checker.policy;
    let counted = if needs.iter().any(|n| n.summary_first) {
        let plans = count(checker, spool, &states, jobs)?;
        let mut summary = Summary::default();
        plans.iter().for_each(|p| summary.add(p));
        Some((summary, policy.verdict(&summary, failed_plans), plans))
    } else {
        None
    };
    timer.lap("count");
    let start = Start {
        summary: counted.as_ref().map(|(s, v, _)| (s, *v)),
        plans: counted.as_ref().map_or(&[][..], |(_, _, p)| p.as_slice()),
        id_width: width,
        policy,
        failed_plans,
    };
    for o in outputs.iter_mut() {
        o.render.prepare(&start);
        o.sink.begin(&start)?;
    }
    for (o, n) in outputs.iter_mut().zip(&needs) {
        if !n.errors_apart {
            for s in states.iter() {
                if let Some(e) = &s.failed {
                    o.sink.plan_failed(&s.info, e)?;
                }
            }
        }
    }
    let (summary, seen, usage) = report(checker, spool, &states, outputs, &needs, jobs, total, progress)?;
    timer.lap("check and report");
    for (o, n) in outputs.iter_mut().zip(&needs) {
        if n.errors_apart {
            errors_apart(spool, &states, &*o.render, &mut *o.sink)?;
        }
    }
    let verdict = policy.verdict(&summary, failed_plans);
    let end = End { summary: &summary, verdict, failed_plans, agreements_seen: &seen, policy, usage: &usage };
    for o in outputs.iter_mut() {
        o.sink.finish(&end)?;
    }
    spool.end_reads()?;
    timer.lap("errors and end");
    Ok(Finished { summary, verdict, failed_plans, usage })
}

/// With `CLAUSECHECK_TIMING` set, how long each pass took, on standard error: for benchmarks.
/// (The library keeps no clock for results; this only measures, and only when asked.)
struct Timer {
    on: bool,
    last: std::time::Instant,
}

impl Timer {
    fn new() -> Timer {
        Timer { on: std::env::var_os("CLAUSECHECK_TIMING").is_some(), last: std::time::Instant::now() }
    }

    fn lap(&mut self, pass: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!("timing: {pass}: {:.3} s", (now - self.last).as_secs_f64());
            self.last = now;
        }
    }
}

/// Pass 1 for one plan: its records into the spool, its index, its widest id.
#[allow(clippy::too_many_arguments)]
fn read(
    checker: &Checker<'_>,
    schema: &Schema<'_>,
    source: Source<'_>,
    spool: &mut Spool<'_>,
    jobs: usize,
    state: &mut PlanState,
    width: &mut usize,
    read_bytes: &mut u64,
    progress: &mut dyn FnMut(Progress),
) -> io::Result<()> {
    let rules = checker.rules();
    match source.format {
        PlanFormat::Ndjson => {
            let mut chunker = Chunker::new(source.input);
            let mut failure: Option<io::Error> = None;
            let records = &mut state.records;
            let index = &mut state.index;
            ordered(
                jobs,
                || match chunker.next_chunk() {
                    Ok(chunk) => Ok(chunk),
                    Err(e) => {
                        failure = Some(e);
                        Ok(None)
                    }
                },
                || Parser::new(schema),
                |parser, chunk| {
                    let mut part = Part::new(rules);
                    parser.chunk(&chunk, &mut |r| part.add(rules, r));
                    (part, chunk.input_bytes)
                },
                |(part, bytes)| {
                    *read_bytes += bytes;
                    part.into(spool, records, index, width)?;
                    progress(Progress { phase: Phase::Reading, done: *read_bytes, total: None, violated: 0 });
                    Ok(())
                },
            )?;
            if let Some(e) = failure {
                state.failed = Some(unreadable(&e));
            } else if state.records == 0 {
                state.failed = Some(PlanError {
                    message: "the plan is empty".into(),
                    line: None,
                    column: None,
                    help: Some(crate::plan::ndjson::HELP.into()),
                });
            }
        }
        PlanFormat::Csv => {
            let mut part = Part::new(rules);
            let mut result = Ok(());
            let outcome = plan::read_csv(source.input, schema, &mut |r| {
                part.add(rules, r);
                if part.bytes.len() >= 1 << 20 && result.is_ok() {
                    let full = std::mem::replace(&mut part, Part::new(rules));
                    result = full.into(spool, &mut state.records, &mut state.index, width);
                }
            });
            result?;
            part.into(spool, &mut state.records, &mut state.index, width)?;
            if let Err(e) = outcome {
                state.failed = Some(e);
            }
        }
        PlanFormat::Yaml | PlanFormat::Json => {
            let mut text = Vec::new();
            let read = source.input.take(MAX_DOCUMENT + 1).read_to_end(&mut text);
            if let Err(e) = read {
                state.failed = Some(unreadable(&e));
                return Ok(());
            }
            if text.len() as u64 > MAX_DOCUMENT {
                state.failed = Some(PlanError {
                    message: format!("the plan is larger than {} MiB, the most a YAML or JSON plan may be", MAX_DOCUMENT >> 20),
                    line: None,
                    column: None,
                    help: Some("write large plans as NDJSON (one deployment a line) or CSV, which are read a record at a time".into()),
                });
                return Ok(());
            }
            let text = match String::from_utf8(text) {
                Ok(text) => text,
                Err(e) => {
                    let bytes = e.as_bytes();
                    let bad = e.utf8_error().valid_up_to();
                    let line = 1 + bytes[..bad].iter().filter(|b| **b == b'\n').count();
                    state.failed = Some(PlanError {
                        message: format!("the plan is not UTF-8 text (line {line})"),
                        line: Some(line),
                        column: None,
                        help: Some("save the plan as UTF-8".into()),
                    });
                    return Ok(());
                }
            };
            let mut part = Part::new(rules);
            match plan::read_records(&text, source.format, schema, &mut |r| part.add(rules, r)) {
                Ok(()) => part.into(spool, &mut state.records, &mut state.index, width)?,
                Err(e) => state.failed = Some(e),
            }
        }
    }
    Ok(())
}

fn unreadable(e: &io::Error) -> PlanError {
    let message = match e.kind() {
        io::ErrorKind::IsADirectory => "the plan is a folder, not a file".to_owned(),
        _ => format!("the plan could not be read to its end: {e}"),
    };
    PlanError { message, line: None, column: None, help: None }
}

/// Records read by one reader (or chunk), encoded, with their part of the index.
struct Part {
    bytes: Vec<u8>,
    records: usize,
    index: PlanIndex,
    /// Widest explicit id, in characters.
    width: usize,
    /// Highest position (within the part) of a record named by its position.
    last_default: Option<usize>,
}

impl Part {
    fn new(rules: &crate::model::RuleSet) -> Part {
        Part { bytes: Vec::new(), records: 0, index: PlanIndex::new(rules), width: 0, last_default: None }
    }

    fn add(&mut self, rules: &crate::model::RuleSet, r: &Record) {
        self.records += 1;
        if r.id().is_empty() {
            self.last_default = Some(self.records);
        } else {
            self.width = self.width.max(r.id().chars().count());
        }
        if let Record::Valid(d) = &r {
            if rules.uses_launched() {
                self.index.add(rules, d);
            }
        }
        codec::encode(r, &mut self.bytes);
    }

    fn into(
        self,
        spool: &mut Spool<'_>,
        records: &mut usize,
        index: &mut PlanIndex,
        width: &mut usize,
    ) -> io::Result<()> {
        spool.append(&self.bytes)?;
        if let Some(local) = self.last_default {
            // `#N`: one character and the digits of its position in the plan.
            *width = (*width).max(1 + (*records + local).to_string().len());
        }
        *width = (*width).max(self.width);
        *records += self.records;
        index.merge(self.index);
        Ok(())
    }
}

/// Pass 2 for one plan.
fn duplicates(checker: &Checker<'_>, spool: &mut Spool<'_>, state: &mut PlanState) -> io::Result<()> {
    if state.records < 2 {
        return Ok(());
    }
    let mut finder = Finder::new(state.records);
    {
        let mut reader = codec::Reader::new(spool.read(state.range.clone())?);
        let mut hashes = Vec::with_capacity(64);
        while let Some((_, id)) = reader.next_id()? {
            hashes.push(crate::plan::ids::hash(id));
            if hashes.len() == 64 {
                finder.first_scan_hashes(&hashes);
                hashes.clear();
            }
        }
        finder.first_scan_hashes(&hashes);
    }
    finder.end_first_scan();
    if !finder.needs_second_scan() {
        return Ok(());
    }
    let mut dups = 0usize;
    {
        let mut reader = codec::Reader::new(spool.read(state.range.clone())?);
        while let Some((position, id)) = reader.next_id()? {
            dups += usize::from(finder.second_scan(id, position).is_some());
        }
    }
    let rules = checker.rules();
    if dups > 0 && rules.uses_launched() {
        let mut index = PlanIndex::new(rules);
        let mut reader = codec::Reader::new(spool.read(state.range.clone())?);
        let mut slot = Record::Valid(crate::plan::Deployment::empty());
        while reader.next_into(&mut slot)? {
            if let Record::Valid(d) = &slot {
                if finder.first_use(&d.id, d.position).is_none() {
                    index.add(rules, d);
                }
            }
        }
        state.index = index;
    }
    state.dups = Some(finder);
    Ok(())
}

/// Records of one plan, as spooled frames, for a thread to decode and check.
struct Batch {
    plan: usize,
    /// The position of the first record of the block.
    first: usize,
    block: Vec<u8>,
    /// Decoded records (allocations reused from batch to batch).
    records: Vec<Record>,
}

impl Batch {
    /// Decodes the block into the records; how many there are.
    fn decode(&mut self) -> io::Result<usize> {
        codec::decode_block(&self.block, self.first, &mut self.records)
    }
}

/// Cuts the spooled plans into batches of frames, in order; the worker that gets a batch decodes
/// it. The plans lie one after another in the spool, so one reader serves them all.
struct Batches<'s> {
    states: &'s [PlanState],
    reader: codec::Reader<Box<dyn BufRead + 's>>,
    plan: usize,
    left: usize,
    free: Vec<(Vec<u8>, Vec<Record>)>,
}

impl<'s> Batches<'s> {
    fn new(states: &'s [PlanState], spool: &'s mut Spool<'_>) -> io::Result<Batches<'s>> {
        let end = states.last().map_or(0, |s| s.range.end);
        let start = states.first().map_or(0, |s| s.range.start);
        let reader = codec::Reader::new(spool.read(start..end)?);
        Ok(Batches {
            states,
            reader,
            plan: 0,
            left: states.first().map_or(0, |s| s.records),
            free: Vec::new(),
        })
    }

    fn next(&mut self) -> io::Result<Option<Batch>> {
        while self.left == 0 {
            self.plan += 1;
            if self.plan >= self.states.len() {
                return Ok(None);
            }
            self.left = self.states[self.plan].records;
            self.reader.restart();
        }
        let (mut block, records) = self.free.pop().unwrap_or_default();
        let (first, n) = self.reader.next_block(BATCH.min(self.left), &mut block)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the spool of checked records ended early",
            ));
        }
        self.left -= n;
        Ok(Some(Batch { plan: self.plan, first, block, records }))
    }

    fn give_back(&mut self, batch: Batch) {
        self.free.push((batch.block, batch.records));
    }
}

/// Pass 3: the totals of each plan, for formats that show them first.
fn count(
    checker: &Checker<'_>,
    spool: &mut Spool<'_>,
    states: &[PlanState],
    jobs: usize,
) -> io::Result<Vec<Summary>> {
    let mut batches = Batches::new(states, spool)?;
    let mut total = vec![Summary::default(); states.len()];
    let free = std::cell::RefCell::new(Vec::new());
    ordered(
        jobs,
        || {
            if let Some(batch) = free.borrow_mut().pop() {
                batches.give_back(batch);
            }
            batches.next()
        },
        Scratch::default,
        |scratch, mut batch: Batch| {
            let state = &states[batch.plan];
            let mut summary = Summary::default();
            let n = batch.decode()?;
            for record in &batch.records[..n] {
                match record {
                    Record::Valid(d) if state.first_use(record).is_none() => {
                        let (_, expiry) = checker.check(d, &state.index, scratch);
                        let warned = expiry.is_some();
                        let decision = checker.judge(&state.info, d, &state.index, scratch);
                        summary.tally(Some(decision), warned);
                    }
                    _ => summary.tally(None, false),
                }
            }
            Ok((summary, batch))
        },
        |done: io::Result<(Summary, Batch)>| {
            let (summary, batch) = done?;
            total[batch.plan].add(&summary);
            free.borrow_mut().push(batch);
            Ok(())
        },
    )?;
    Ok(total)
}

/// One format's rendered pieces of one batch, in order.
#[derive(Default)]
struct Pieces {
    bytes: Vec<u8>,
    /// (end offset in `bytes`, whether the piece is a record error).
    items: Vec<(usize, bool)>,
}

struct Done {
    summary: Summary,
    seen: Vec<bool>,
    marks: Vec<Mark>,
    pieces: Vec<Pieces>,
    batch: Batch,
}

/// Pass 4: every record checked, rendered by every format, written in order.
#[allow(clippy::too_many_arguments)]
fn report(
    checker: &Checker<'_>,
    spool: &mut Spool<'_>,
    states: &[PlanState],
    outputs: &mut [Output<'_>],
    needs: &[Needs],
    jobs: usize,
    total: u64,
    progress: &mut dyn FnMut(Progress),
) -> io::Result<(Summary, Vec<bool>, Usage)> {
    let rules = checker.rules();
    let mut usage = Usage::new(&checker.policy);
    let mut current_plan: Option<usize> = None;
    let agreements = rules.agreements.len();
    let (renders, mut sinks): (Vec<&dyn Render>, Vec<&mut (dyn Sink + '_)>) =
        outputs.iter_mut().map(|o| (&*o.render, &mut *o.sink)).unzip();
    let inline_errors: Vec<bool> = needs.iter().map(|n| !n.errors_apart).collect();
    let mut batches = Batches::new(states, spool)?;
    let mut summary = Summary::default();
    let mut seen = vec![false; agreements];
    let free = std::cell::RefCell::new(Vec::new());
    // The buffers of batches done, handed to the next: rendering allocates once per thread.
    let free_pieces: std::cell::RefCell<Vec<Vec<Pieces>>> = std::cell::RefCell::new(Vec::new());
    let mut done_records = 0u64;
    ordered(
        jobs,
        || {
            if let Some(batch) = free.borrow_mut().pop() {
                batches.give_back(batch);
            }
            let pieces = free_pieces.borrow_mut().pop().unwrap_or_default();
            Ok(batches.next()?.map(|b| (b, pieces)))
        },
        Scratch::default,
        |scratch, (mut batch, mut pieces): (Batch, Vec<Pieces>)| -> io::Result<Done> {
            let state = &states[batch.plan];
            pieces.resize_with(renders.len(), Pieces::default);
            for p in &mut pieces {
                p.bytes.clear();
                p.items.clear();
            }
            let n = batch.decode()?;
            let mut records = std::mem::take(&mut batch.records);
            let mut out = Done {
                summary: Summary::default(),
                seen: vec![false; agreements],
                marks: Vec::new(),
                pieces,
                batch,
            };
            for record in &mut records[..n] {
                if let Some(first) = state.first_use(record) {
                    record.mark_duplicate(first);
                }
                match record {
                    Record::Invalid(bad) => {
                        out.summary.tally(None, false);
                        for (i, render) in renders.iter().enumerate() {
                            if inline_errors[i] {
                                let p = &mut out.pieces[i];
                                render.record_error(&state.info, bad, &mut p.bytes);
                                if p.items.last().map_or(0, |x| x.0) < p.bytes.len() {
                                    p.items.push((p.bytes.len(), true));
                                }
                            }
                        }
                    }
                    Record::Valid(d) => {
                        let (verdict, expiry) = checker.check(d, &state.index, scratch);
                        let warned = expiry.is_some();
                        let decision = checker.judge(&state.info, d, &state.index, scratch);
                        out.summary.tally(Some(decision), warned);
                        Usage::marks(&scratch.violations, &mut out.marks);
                        for a in scratch.outcome.agreements() {
                            out.seen[a.agreement.index()] = true;
                        }
                        let expiry = scratch.expiry.as_ref();
                        let item = Checked {
                            plan: &state.info,
                            deployment: d,
                            outcome: &scratch.outcome,
                            verdict,
                            decision,
                            violations: &scratch.violations,
                            policy: &checker.policy,
                            expiry,
                        };
                        for (render, p) in renders.iter().zip(&mut out.pieces) {
                            render.deployment(&item, &mut p.bytes);
                            if p.items.last().map_or(0, |x| x.0) < p.bytes.len() {
                                p.items.push((p.bytes.len(), false));
                            }
                        }
                    }
                }
            }
            out.batch.records = records;
            Ok(out)
        },
        |done: io::Result<Done>| {
            let done = done?;
            summary.add(&done.summary);
            done.marks.iter().for_each(|m| usage.add(*m));
            // Plans begin and end around their records, empty plans and all, in plan order.
            let plan = done.batch.plan;
            if current_plan != Some(plan) {
                for sink in sinks.iter_mut() {
                    plan_bounds(states, current_plan, Some(plan), &mut **sink)?;
                }
                current_plan = Some(plan);
            }
            seen.iter_mut().zip(&done.seen).for_each(|(s, d)| *s |= *d);
            for (sink, pieces) in sinks.iter_mut().zip(&done.pieces) {
                let mut start = 0;
                for &(end, error) in &pieces.items {
                    let piece = &pieces.bytes[start..end];
                    if error {
                        sink.record_error(piece)?;
                    } else {
                        sink.deployment(piece)?;
                    }
                    start = end;
                }
            }
            done_records += done.summary.deployments as u64;
            progress(Progress {
                phase: Phase::Checking,
                done: done_records,
                total: Some(total),
                violated: summary.violated as u64,
            });
            free.borrow_mut().push(done.batch);
            free_pieces.borrow_mut().push(done.pieces);
            Ok(())
        },
    )?;
    for sink in sinks.iter_mut() {
        plan_bounds(states, current_plan, None, &mut **sink)?;
    }
    Ok((summary, seen, usage))
}

/// Ends plan `from` (if any) and begins every plan after it up to `to` (or past the last plan),
/// so a sink sees each readable plan begin and end once, in order, even one with no records.
fn plan_bounds(
    states: &[PlanState],
    from: Option<usize>,
    to: Option<usize>,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    if let Some(f) = from {
        sink.plan_end(&states[f].info)?;
    }
    let first = from.map_or(0, |f| f + 1);
    let last = to.unwrap_or(states.len());
    for (i, state) in states.iter().enumerate().take(last + usize::from(to.is_some())).skip(first) {
        if state.failed.is_some() && state.records == 0 {
            continue;
        }
        sink.plan_begin(&state.info)?;
        if Some(i) != to {
            sink.plan_end(&state.info)?;
        }
    }
    Ok(())
}

/// Pass 5 for one format: plans that could not be read and record errors, in plan order.
fn errors_apart(
    spool: &mut Spool<'_>,
    states: &[PlanState],
    render: &dyn Render,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    let mut batches = Batches::new(states, spool)?;
    let mut bytes = Vec::new();
    let mut current = 0;
    let flush_failures = |upto: usize, current: &mut usize, sink: &mut dyn Sink| -> io::Result<()> {
        while *current < upto {
            if let Some(e) = &states[*current].failed {
                sink.plan_failed(&states[*current].info, e)?;
            }
            *current += 1;
        }
        Ok(())
    };
    while let Some(mut batch) = batches.next()? {
        flush_failures(batch.plan, &mut current, sink)?;
        let state = &states[batch.plan];
        let n = batch.decode()?;
        for record in &mut batch.records[..n] {
            if let Some(first) = state.first_use(record) {
                record.mark_duplicate(first);
            }
            if let Record::Invalid(bad) = record {
                bytes.clear();
                render.record_error(&state.info, bad, &mut bytes);
                if !bytes.is_empty() {
                    sink.record_error(&bytes)?;
                }
            }
        }
        batches.give_back(batch);
    }
    flush_failures(states.len(), &mut current, sink)
}
