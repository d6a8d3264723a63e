//! An ordered parallel map: items read on the calling thread, worked on by `jobs` threads, the
//! results handed back on the calling thread in the order the items were read. With one job,
//! everything runs on the calling thread. The number of items in flight is bounded, so memory is.

use std::collections::BTreeMap;
use std::io;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;

pub(super) fn ordered<I, O, S, W>(
    jobs: usize,
    mut next: impl FnMut() -> io::Result<Option<I>>,
    init: impl Fn() -> S + Sync,
    work: W,
    mut done: impl FnMut(O) -> io::Result<()>,
) -> io::Result<()>
where
    I: Send,
    O: Send,
    W: Fn(&mut S, I) -> O + Sync,
{
    if jobs <= 1 {
        let mut state = init();
        while let Some(item) = next()? {
            done(work(&mut state, item))?;
        }
        return Ok(());
    }
    let in_flight = jobs * 4;
    let (work_tx, work_rx) = sync_channel::<(u64, I)>(jobs * 2);
    let work_rx: Mutex<Receiver<(u64, I)>> = Mutex::new(work_rx);
    let (done_tx, done_rx) = sync_channel::<(u64, O)>(jobs * 2);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (work_rx, done_tx, init, work) = (&work_rx, done_tx.clone(), &init, &work);
            scope.spawn(move || {
                let mut state = init();
                loop {
                    let message = work_rx.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
                    let Ok((seq, item)) = message else { break };
                    if done_tx.send((seq, work(&mut state, item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let stopped = || io::Error::other("a worker thread stopped");
        let mut pending: BTreeMap<u64, O> = BTreeMap::new();
        let (mut sent, mut handed, mut exhausted) = (0u64, 0u64, false);
        let result = (|| -> io::Result<()> {
            loop {
                // INVARIANT: at most `in_flight` items are unreturned, and the channels and workers
                // hold more than that between them, so no send below blocks for good.
                while !exhausted && sent - handed < in_flight as u64 {
                    match next()? {
                        Some(item) => {
                            work_tx.send((sent, item)).map_err(|_| stopped())?;
                            sent += 1;
                        }
                        None => exhausted = true,
                    }
                }
                if exhausted && handed == sent {
                    return Ok(());
                }
                let (seq, out) = done_rx.recv().map_err(|_| stopped())?;
                pending.insert(seq, out);
                while let Some(out) = pending.remove(&handed) {
                    done(out)?;
                    handed += 1;
                }
            }
        })();
        drop(work_tx);
        // Let the workers finish what they hold, so the scope can end.
        while done_rx.recv().is_ok() {}
        result
    })
}
