//! The spool: checked records written once, in order, and read back as often as a run needs.
//!
//! `check` reads each plan once, writing its records here in a compact binary form (about 30
//! bytes for a deployment), and then makes its other passes over the spool instead of the plan:
//! finding duplicate ids, building the `launched(...)` index, counting verdicts for formats that
//! put the totals first, and checking. Decoding is a few dozen instructions a record, far cheaper
//! than parsing JSON again. Where the bytes are kept (memory, a temporary file) is the caller's
//! business; this module only turns records into bytes and back.
//!
//! Each record is a frame: its length, then its fields. Integers are LEB128 varints. A record's
//! position is not stored: the n-th frame of a plan is its n-th record. Nor is a default id: a
//! record without one is written with an empty id and read back as `#N`. So a chunk of records
//! can be encoded by a thread that does not know where the chunk falls in its plan.

use std::io::{self, BufRead};

use chrono::{Datelike, NaiveDate};

use super::{Deployment, InvalidRecord, Record, RecordProblem};
use crate::diagnostic::codes;
use crate::model::{FlagId, ValueId};

fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, n: Option<usize>) {
    put(out, n.map_or(0, |n| n as u64 + 1));
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

/// Appends one record's frame to `out`.
pub fn encode(record: &Record, out: &mut Vec<u8>) {
    let start = out.len();
    // Room for the frame length, written once the body is known.
    out.extend_from_slice(&[0; 4]);
    let body = out.len();
    match record {
        Record::Valid(d) => {
            out.push(0);
            put_opt(out, d.line);
            put_opt(out, d.column);
            put_str(out, &d.id);
            let days = d.date.num_days_from_ce();
            put(out, ((days << 1) ^ (days >> 31)) as u32 as u64);
            put(out, d.values.len() as u64);
            for v in &d.values {
                put(out, v.map_or(0, |v| u64::from(v.0) + 1));
            }
            put(out, d.flags.len() as u64);
            for f in &d.flags {
                put(out, u64::from(f.0));
            }
        }
        Record::Invalid(r) => {
            out.push(1);
            put_opt(out, r.line);
            put_opt(out, r.column);
            put_str(out, &r.id);
            put(out, r.problems.len() as u64);
            for p in &r.problems {
                put(out, codes::index(p.code).unwrap_or(codes::ALL.len()) as u64);
                put_opt_str(out, p.field.as_deref());
                put_str(out, &p.message);
                put_opt_str(out, p.help.as_deref());
            }
        }
    }
    // A record is at most a few megabytes (its line is at most `MAX_RECORD`): 32 bits hold it.
    let len = (out.len() - body) as u32;
    out[start..body].copy_from_slice(&len.to_le_bytes());
}

/// The spool was damaged between writing and reading: never from user input.
fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the spool of checked records is damaged")
}

struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Cursor<'b> {
    fn byte(&mut self) -> io::Result<u8> {
        let b = *self.bytes.get(self.at).ok_or_else(corrupt)?;
        self.at += 1;
        Ok(b)
    }

    fn num(&mut self) -> io::Result<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(corrupt())
    }

    fn opt(&mut self) -> io::Result<Option<usize>> {
        Ok(match self.num()? {
            0 => None,
            n => Some(n as usize - 1),
        })
    }

    fn str(&mut self) -> io::Result<&'b str> {
        let len = self.num()? as usize;
        let end = self.at.checked_add(len).filter(|e| *e <= self.bytes.len()).ok_or_else(corrupt)?;
        let s = std::str::from_utf8(&self.bytes[self.at..end]).map_err(|_| corrupt())?;
        self.at = end;
        Ok(s)
    }

    fn opt_str(&mut self) -> io::Result<Option<&'b str>> {
        Ok(match self.byte()? {
            0 => None,
            _ => Some(self.str()?),
        })
    }
}

/// Reads frames back in order: the records of one plan, numbered from 1.
pub struct Reader<R> {
    input: R,
    frame: Vec<u8>,
    position: usize,
    id: String,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Reader<R> {
        Reader { input, frame: Vec::new(), position: 0, id: String::new() }
    }

    /// Numbers the next record 1 again: the frames that follow are the next plan's.
    pub fn restart(&mut self) {
        self.position = 0;
    }

    /// Reads the next frame into `self.frame`; `false` at the end.
    fn frame(&mut self) -> io::Result<bool> {
        // Most frames lie whole in the reader's buffer: take them from there in one copy.
        let buf = self.input.fill_buf()?;
        if let Some(len) = buf.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok()) {
            let len = u32::from_le_bytes(len) as usize;
            if let Some(body) = buf.get(4..4 + len) {
                self.frame.clear();
                self.frame.extend_from_slice(body);
                self.input.consume(4 + len);
                self.position += 1;
                return Ok(true);
            }
        }
        let mut len = [0u8; 4];
        match self.input.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(e),
        }
        self.frame.resize(u32::from_le_bytes(len) as usize, 0);
        self.input.read_exact(&mut self.frame)?;
        self.position += 1;
        Ok(true)
    }

    /// Copies the next frames, at most `max` of them, into `block` (cleared first), for a
    /// [`decode_block`] elsewhere: the position of the first and how many were copied.
    pub fn next_block(&mut self, max: usize, block: &mut Vec<u8>) -> io::Result<(usize, usize)> {
        block.clear();
        let first = self.position + 1;
        let mut n = 0;
        while n < max {
            if !self.frame()? {
                break;
            }
            block.extend_from_slice(&(self.frame.len() as u32).to_le_bytes());
            block.extend_from_slice(&self.frame);
            n += 1;
        }
        Ok((first, n))
    }

    /// The next record's position and id only, or `None` at the end.
    pub fn next_id(&mut self) -> io::Result<Option<(usize, &str)>> {
        if !self.frame()? {
            return Ok(None);
        }
        let mut c = Cursor { bytes: &self.frame, at: 1 };
        c.opt()?;
        c.opt()?;
        let id = c.str()?;
        self.id.clear();
        if id.is_empty() {
            use std::fmt::Write as _;
            let _ = write!(self.id, "#{}", self.position);
        } else {
            self.id.push_str(id);
        }
        Ok(Some((self.position, &self.id)))
    }

    /// The next record, decoded into `slot` (whose allocations are reused); `false` at the end.
    pub fn next_into(&mut self, slot: &mut Record) -> io::Result<bool> {
        if !self.frame()? {
            return Ok(false);
        }
        decode(&self.frame, self.position, slot)?;
        Ok(true)
    }
}

/// Decodes the frames of a block made by [`Reader::next_block`] into `slots` (grown as needed,
/// allocations reused); the first frame is the record at `first`. The number decoded.
pub fn decode_block(block: &[u8], first: usize, slots: &mut Vec<Record>) -> io::Result<usize> {
    let mut at = 0;
    let mut n = 0;
    while at < block.len() {
        let len = block.get(at..at + 4).and_then(|b| <[u8; 4]>::try_from(b).ok()).ok_or_else(corrupt)?;
        let len = u32::from_le_bytes(len) as usize;
        let frame = block.get(at + 4..at + 4 + len).ok_or_else(corrupt)?;
        if slots.len() <= n {
            slots.push(Record::Valid(Deployment::empty()));
        }
        decode(frame, first + n, &mut slots[n])?;
        at += 4 + len;
        n += 1;
    }
    Ok(n)
}

fn decode(frame: &[u8], position: usize, slot: &mut Record) -> io::Result<()> {
    let mut c = Cursor { bytes: frame, at: 0 };
    let tag = c.byte()?;
    let line = c.opt()?;
    let column = c.opt()?;
    let id = c.str()?;
    if tag == 0 {
        if !matches!(slot, Record::Valid(_)) {
            *slot = Record::Valid(Deployment::empty());
        }
        let Record::Valid(d) = slot else { return Err(corrupt()) };
        d.position = position;
        d.line = line;
        d.column = column;
        d.id.clear();
        if id.is_empty() {
            use std::fmt::Write as _;
            let _ = write!(d.id, "#{position}");
        } else {
            d.id.push_str(id);
        }
        let z = c.num()? as u32;
        let days = ((z >> 1) as i32) ^ -((z & 1) as i32);
        d.date = NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(corrupt)?;
        let n = c.num()? as usize;
        d.values.clear();
        for _ in 0..n {
            let v = c.num()?;
            d.values.push(match v {
                0 => None,
                v => Some(ValueId(u16::try_from(v - 1).map_err(|_| corrupt())?)),
            });
        }
        let n = c.num()? as usize;
        d.flags.clear();
        for _ in 0..n {
            d.flags.push(FlagId(u16::try_from(c.num()?).map_err(|_| corrupt())?));
        }
    } else {
        let n = c.num()? as usize;
        let mut problems = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let code = codes::ALL.get(c.num()? as usize).copied().unwrap_or(codes::UNREADABLE_RECORD);
            let field = c.opt_str()?.map(str::to_owned);
            let message = c.str()?.to_owned();
            let help = c.opt_str()?.map(str::to_owned);
            problems.push(RecordProblem { code, field, message, help });
        }
        let id = if id.is_empty() { format!("#{position}") } else { id.to_owned() };
        *slot = Record::Invalid(InvalidRecord { id, position, line, column, problems });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_as_they_went_in() {
        let valid = Record::Valid(Deployment {
            id: "frontier-bedrock".into(),
            position: 1,
            line: Some(1234),
            column: Some(5),
            values: vec![Some(ValueId(1)), None, Some(ValueId(400))],
            flags: vec![FlagId(0), FlagId(9)],
            date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        });
        let invalid = Record::Invalid(InvalidRecord {
            id: "#2".into(),
            position: 2,
            line: None,
            column: None,
            problems: vec![RecordProblem {
                code: crate::diagnostic::codes::UNKNOWN_VALUE,
                field: Some("cloud".into()),
                message: "unknown cloud `azrue`".into(),
                help: Some("did you mean `azure`?".into()),
            }],
        });
        let mut third = valid.clone();
        if let Record::Valid(d) = &mut third {
            d.position = 3;
        }
        let mut bytes = Vec::new();
        for r in [&valid, &invalid, &valid] {
            encode(r, &mut bytes);
        }
        let mut reader = Reader::new(&bytes[..]);
        let mut slot = Record::Valid(Deployment::empty());
        for want in [&valid, &invalid, &third] {
            assert!(reader.next_into(&mut slot).unwrap());
            assert_eq!(&slot, want);
        }
        assert!(!reader.next_into(&mut slot).unwrap());
        let mut reader = Reader::new(&bytes[..]);
        assert_eq!(reader.next_id().unwrap(), Some((1, "frontier-bedrock")));
        assert_eq!(reader.next_id().unwrap(), Some((2, "#2")));
    }
}
