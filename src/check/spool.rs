//! Where a run keeps its spool: in memory while it is small, then in a file the caller hands over
//! (a temporary file, from the CLI). The library opens no files itself.

use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::ops::Range;

/// A file to spill into: readable, writable and seekable.
pub trait SpillFile: Read + Write + Seek + Send {}
impl<T: Read + Write + Seek + Send> SpillFile for T {}

type MakeFile<'a> = Box<dyn FnMut() -> io::Result<Box<dyn SpillFile>> + 'a>;

pub struct Spool<'a> {
    memory: Vec<u8>,
    file: Option<Box<dyn SpillFile>>,
    make: Option<MakeFile<'a>>,
    /// Bytes held in memory before spilling to a file.
    limit: usize,
    len: u64,
}

impl<'a> Spool<'a> {
    /// A spool that stays in memory, however large it grows.
    pub fn in_memory() -> Spool<'a> {
        Spool { memory: Vec::new(), file: None, make: None, limit: usize::MAX, len: 0 }
    }

    /// A spool that moves to the file `make` gives once it holds more than `limit` bytes.
    pub fn spilling(limit: usize, make: impl FnMut() -> io::Result<Box<dyn SpillFile>> + 'a) -> Spool<'a> {
        Spool { memory: Vec::new(), file: None, make: Some(Box::new(make)), limit, len: 0 }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.len += bytes.len() as u64;
        if let Some(file) = &mut self.file {
            return file.write_all(bytes);
        }
        self.memory.extend_from_slice(bytes);
        if self.memory.len() > self.limit {
            if let Some(make) = &mut self.make {
                let mut file = make()?;
                file.write_all(&self.memory)?;
                self.memory = Vec::new();
                self.file = Some(file);
            }
        }
        Ok(())
    }

    /// Forgets everything after `len` bytes (a plan whose document turned out unreadable).
    pub fn truncate(&mut self, len: u64) -> io::Result<()> {
        if len >= self.len {
            return Ok(());
        }
        match &mut self.file {
            None => self.memory.truncate(len as usize),
            Some(file) => {
                // The bytes past `len` stay in the file but are never read: every read names its range.
                file.seek(SeekFrom::Start(len))?;
            }
        }
        self.len = len;
        Ok(())
    }

    /// The bytes of `range`, to read in order.
    pub fn read(&mut self, range: Range<u64>) -> io::Result<Box<dyn BufRead + '_>> {
        match &mut self.file {
            None => {
                let bytes = self.memory.get(range.start as usize..range.end as usize).unwrap_or(&[]);
                Ok(Box::new(Cursor::new(bytes)))
            }
            Some(file) => {
                file.flush()?;
                file.seek(SeekFrom::Start(range.start))?;
                let reader = BufReader::with_capacity(1 << 20, (&mut **file).take(range.end - range.start));
                Ok(Box::new(reader))
            }
        }
    }

    /// Ready for the next append, after reads (which move the file's cursor).
    pub fn end_reads(&mut self) -> io::Result<()> {
        if let Some(file) = &mut self.file {
            file.seek(SeekFrom::Start(self.len))?;
        }
        Ok(())
    }
}
