//! Batch mode of `cloudgate check`: many files or an NDJSON stream, decided on every core.
//!
//! One compiled [`Engine`] is shared by all threads (natively it is `Send + Sync`). Files are
//! handed out in small blocks from an atomic counter so that slow requests do not stall a
//! thread's whole share. A stream on several threads is a pipeline (read, decide on every core,
//! write, all at once); on one thread it is read, decided and written a chunk at a time. Either
//! way decisions are written in input order and memory stays bounded however long the stream.

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudgate::decision::{Decision, RequestHint, Verdict};
use cloudgate::report::render_text;
use cloudgate::{Engine, EvalOptions, InputError};

use crate::{read_input, Format};

/// Lines read, decided and written together on one thread: a stream's memory stays bounded (at
/// most this many requests held, and as many decisions). At 4,096 a run over 10,000
/// termination requests peaked at 77 MB, most of it fresh pages the kernel had to clear for
/// every chunk; at 1,024 it is 28 MB, no slower (bench/NOTES.md, section 15).
const CHUNK: usize = 1024;
/// Requests a thread takes at a time.
const BLOCK: usize = 16;
/// Lines a worker takes at a time from a stream decided on several threads.
const PIECE: usize = 64;
/// Pieces per worker read ahead of the writer, at most, and in all (16,384 lines, sixteen of the
/// one-thread loop's chunks; beyond 64 workers some wait for a piece).
const AHEAD: usize = 4;
const MAX_AHEAD: usize = 256;
/// Stack of each worker thread (virtual memory; only touched pages are used).
const WORKER_STACK: usize = 64 << 20;

pub struct Batch {
    jobs: usize,
    summary: bool,
}

#[derive(Default)]
struct Tally {
    count: usize,
    verdicts: [usize; 4],
    worst: Option<Verdict>,
}

/// A decision as written: its verdict for the tally, and its text. Worker threads render it,
/// so that writing JSON (about a tenth of a decision's cost) does not queue on one thread.
struct Rendered {
    verdict: Verdict,
    text: Result<String, String>,
}

impl Rendered {
    fn new(
        engine: &Engine,
        d: &Decision,
        format: Format,
        label: impl FnOnce() -> String,
    ) -> Rendered {
        let text = match format {
            Format::Json => Ok(engine.decision_json(d)),
            Format::Text => Ok(render_text(&label(), d)),
        };
        Rendered {
            verdict: d.decision,
            text,
        }
    }

    fn write(&self, out: &mut impl Write) -> Result<(), String> {
        let text = self.text.as_ref()?;
        writeln!(out, "{text}").map_err(|e| e.to_string())
    }
}

impl Tally {
    fn add(&mut self, verdict: Verdict) {
        self.count += 1;
        let slot = match verdict {
            Verdict::Allow => 0,
            Verdict::Review => 1,
            Verdict::Deny => 2,
            Verdict::Error => 3,
        };
        if let Some(n) = self.verdicts.get_mut(slot) {
            *n += 1;
        }
        self.worst = Some(self.worst.map_or(verdict, |w| w.max(verdict)));
    }

    fn exit_code(&self) -> u8 {
        match self.worst.unwrap_or(Verdict::Allow) {
            Verdict::Allow => 0,
            Verdict::Review | Verdict::Deny => 1,
            Verdict::Error => 2,
        }
    }
}

/// Every `*.json` directly inside each folder argument (sorted, so output order is stable);
/// other arguments are kept as they are.
pub fn expand_folders(args: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let entries = std::fs::read_dir(arg)
                .map_err(|e| format!("cannot list {}: {e}", arg.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(arg.clone());
        }
    }
    Ok(out)
}

/// Decides `items` on `jobs` threads; the result is in the order of `items`.
fn decide_all<T: Sync, R: Send>(
    jobs: usize,
    items: &[T],
    decide: impl Fn(&T) -> R + Sync,
    bar: &ProgressBar,
) -> Vec<R> {
    if jobs <= 1 || items.len() <= BLOCK {
        // The bar moves a block at a time, as with threads: each `inc` costs a few hundred
        // instructions even on a hidden bar.
        let mut out = Vec::with_capacity(items.len());
        for block in items.chunks(BLOCK) {
            out.extend(block.iter().map(&decide));
            bar.inc(block.len() as u64);
        }
        return out;
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..jobs)
            .filter_map(|_| {
                // Stack enough that the engine never has to move an evaluation to a fresh stack
                // (it does on small-stack threads; see `Engine::evaluate`).
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(s, || {
                        let mut done = Vec::new();
                        loop {
                            let start = next.fetch_add(BLOCK, Ordering::Relaxed);
                            let Some(block) = items.get(start..(start + BLOCK).min(items.len()))
                            else {
                                break;
                            };
                            if block.is_empty() {
                                break;
                            }
                            done.push((start, block.iter().map(&decide).collect::<Vec<_>>()));
                            bar.inc(block.len() as u64);
                        }
                        done
                    })
                    .ok()
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    // Any request a thread left undecided (one that could not start or that failed) is
    // decided here, so there is always exactly one decision per request, in order.
    parts.sort_unstable_by_key(|(start, _)| *start);
    let mut out: Vec<R> = Vec::with_capacity(items.len());
    for (start, ds) in parts {
        while out.len() < start {
            let Some(item) = items.get(out.len()) else {
                break;
            };
            out.push(decide(item));
            bar.inc(1);
        }
        if out.len() == start {
            out.extend(ds);
        }
    }
    while let Some(item) = items.get(out.len()) {
        out.push(decide(item));
        bar.inc(1);
    }
    out
}

fn progress(len: Option<u64>, bytes: bool) -> ProgressBar {
    let template = if bytes {
        "{bar:40} {bytes}/{total_bytes}  {binary_bytes_per_sec}  eta {eta}"
    } else {
        "{bar:40} {pos}/{len} requests  {per_sec}  eta {eta}"
    };
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match len {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {pos} requests  {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    }
}

fn unreadable(engine: &Engine, message: String) -> Decision {
    Decision::rejected(
        engine.pack_info().clone(),
        vec![InputError::new("unreadable", message, "$")],
        RequestHint::default(),
    )
}

impl Batch {
    pub fn new(jobs: Option<usize>, summary: bool) -> Batch {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Batch {
            jobs: jobs.unwrap_or(cores).clamp(1, 1024),
            summary: summary || std::io::stderr().is_terminal(),
        }
    }

    fn finish(&self, tally: &Tally, started: Instant) {
        if !self.summary {
            return;
        }
        let secs = started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            tally.count as f64 / secs
        } else {
            0.0
        };
        let [allow, review, deny, error] = tally.verdicts;
        eprintln!(
            "{} decisions in {:.3} s: {:.0} decisions/s on {} threads (allow {allow}, review {review}, deny {deny}, error {error})",
            tally.count, secs, rate, self.jobs
        );
    }

    /// Many request files, one compact decision per line.
    pub fn files(
        &self,
        engine: &Engine,
        files: &[PathBuf],
        options: &EvalOptions,
        format: Format,
    ) -> Result<u8, String> {
        let started = Instant::now();
        let bar = progress(Some(files.len() as u64), false);
        let decisions = decide_all(
            self.jobs,
            files,
            |path| {
                let d = match read_input(path) {
                    Ok(text) => engine.evaluate_json(&text, options),
                    Err(message) => unreadable(engine, message),
                };
                Rendered::new(engine, &d, format, || path.display().to_string())
            },
            &bar,
        );
        bar.finish_and_clear();
        let mut tally = Tally::default();
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        for d in &decisions {
            tally.add(d.verdict);
            d.write(&mut out)?;
        }
        out.flush().map_err(|e| e.to_string())?;
        self.finish(&tally, started);
        Ok(tally.exit_code())
    }

    /// An NDJSON stream: one decision per non-blank line, in order.
    pub fn ndjson(
        &self,
        engine: &Engine,
        input: &Path,
        options: &EvalOptions,
        format: Format,
    ) -> Result<u8, String> {
        let started = Instant::now();
        let (reader, size): (Box<dyn Read + Send>, Option<u64>) = if input == Path::new("-") {
            (Box::new(std::io::stdin()), None)
        } else {
            let file = std::fs::File::open(input)
                .map_err(|e| format!("cannot read {}: {e}", input.display()))?;
            let size = file.metadata().ok().map(|m| m.len());
            (Box::new(file), size)
        };
        // Progress in bytes when the size is known, else a counter of requests.
        let bar = progress(size, true);
        let counter = if size.is_some() {
            ProgressBar::hidden()
        } else {
            bar.clone()
        };
        let max_bytes = engine.limits().input.max_bytes;
        let lines = Lines {
            reader: BufReader::with_capacity(1 << 16, reader),
            input,
            max_bytes,
            line_no: 0,
            bar: size.map(|_| bar.clone()),
        };
        let decide = |(n, line): &(usize, Line)| {
            let d = match line {
                Line::Text(text) => engine.evaluate_json(text, options),
                Line::NotUtf8 => unreadable(engine, format!("line {n} is not UTF-8 text")),
                Line::TooLong => Decision::rejected(
                    engine.pack_info().clone(),
                    vec![InputError::new(
                        "too_large",
                        format!("line {n} is longer than the limit of {max_bytes} bytes"),
                        "$",
                    )],
                    RequestHint::default(),
                ),
            };
            Rendered::new(engine, &d, format, || format!("line {n}"))
        };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut tally = Tally::default();
        let emit = |d: &Rendered| {
            tally.add(d.verdict);
            d.write(&mut out)
        };
        let done = if self.jobs <= 1 {
            serial(lines, decide, &counter, emit)
        } else {
            pipelined(self.jobs, lines, decide, &counter, emit)
        };
        bar.finish_and_clear();
        done?;
        out.flush().map_err(|e| e.to_string())?;
        self.finish(&tally, started);
        Ok(tally.exit_code())
    }
}

/// The lines of an NDJSON stream, numbered, blank ones left out, read a piece at a time.
struct Lines<'p, R> {
    reader: BufReader<R>,
    input: &'p Path,
    max_bytes: usize,
    line_no: usize,
    /// The progress bar in bytes, when the stream's size is known.
    bar: Option<ProgressBar>,
}

impl<R: Read> Lines<'_, R> {
    /// Up to `count` non-blank lines; `None` at the end of the stream.
    fn piece(&mut self, count: usize) -> Result<Option<Vec<(usize, Line)>>, String> {
        let mut piece = Vec::with_capacity(count);
        let mut read = 0;
        while piece.len() < count {
            let (line, consumed) = read_line(&mut self.reader, self.max_bytes)
                .map_err(|e| format!("cannot read {}: {e}", self.input.display()))?;
            read += consumed;
            let Some(line) = line else { break };
            self.line_no += 1;
            if !line.is_blank() {
                piece.push((self.line_no, line));
            }
        }
        if let Some(bar) = &self.bar {
            bar.inc(read);
        }
        Ok((!piece.is_empty()).then_some(piece))
    }
}

/// One thread: a chunk read, decided, written, and the next. What `--jobs 1` measures is one
/// core's work alone.
fn serial<R: Read>(
    mut lines: Lines<'_, R>,
    decide: impl Fn(&(usize, Line)) -> Rendered + Sync,
    counter: &ProgressBar,
    mut emit: impl FnMut(&Rendered) -> Result<(), String>,
) -> Result<(), String> {
    while let Some(chunk) = lines.piece(CHUNK)? {
        for d in &decide_all(1, &chunk, &decide, counter) {
            emit(d)?;
        }
    }
    Ok(())
}

/// Several threads, none waiting for another: one reads pieces of the stream, `jobs` workers
/// decide them, and this thread writes the decisions in input order as they come. The chunked
/// loop before it read and wrote between chunks while every worker waited, and started its
/// workers again for every chunk (two threads gave 1.3–1.7× one; bench/NOTES.md, section 18).
/// At most `AHEAD` pieces per worker (`MAX_AHEAD` in all) are read and not yet written (credits
/// the writer hands back), so memory stays bounded whatever the stream's length or stdout's
/// speed.
fn pipelined<R: Read + Send>(
    jobs: usize,
    mut lines: Lines<'_, R>,
    decide: impl Fn(&(usize, Line)) -> Rendered + Sync,
    counter: &ProgressBar,
    mut emit: impl FnMut(&Rendered) -> Result<(), String>,
) -> Result<(), String> {
    use std::sync::mpsc::{channel, sync_channel};
    use std::sync::{Arc, Mutex};

    let ahead = jobs.saturating_mul(AHEAD).min(MAX_AHEAD);
    let (credit_tx, credit_rx) = sync_channel::<()>(ahead);
    for _ in 0..ahead {
        let _ = credit_tx.send(());
    }
    let (work_tx, work_rx) = sync_channel::<(usize, Vec<(usize, Line)>)>(ahead);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = channel::<(usize, Vec<Rendered>)>();
    std::thread::scope(|s| {
        let decide = &decide;
        let mut workers = 0;
        for _ in 0..jobs {
            let (work_rx, done_tx) = (Arc::clone(&work_rx), done_tx.clone());
            let worker = move || loop {
                let next = match work_rx.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => break,
                };
                let Ok((seq, piece)) = next else { break };
                let decided: Vec<Rendered> = piece.iter().map(decide).collect();
                counter.inc(piece.len() as u64);
                if done_tx.send((seq, decided)).is_err() {
                    break;
                }
            };
            // Stack enough that the engine never has to move an evaluation to a fresh stack.
            let spawned = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, worker);
            workers += usize::from(spawned.is_ok());
        }
        drop((done_tx, work_rx));
        if workers == 0 {
            return serial(lines, decide, counter, emit);
        }
        let reading = s.spawn(move || -> Result<(), String> {
            let mut seq = 0;
            while credit_rx.recv().is_ok() {
                let Some(piece) = lines.piece(PIECE)? else {
                    break;
                };
                if work_tx.send((seq, piece)).is_err() {
                    break;
                }
                seq += 1;
            }
            Ok(())
        });
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        let mut written = Ok(());
        'receive: for (seq, decided) in done_rx.iter() {
            waiting.insert(seq, decided);
            while let Some(ready) = waiting.remove(&next) {
                for d in &ready {
                    written = emit(d);
                    if written.is_err() {
                        break 'receive;
                    }
                }
                next += 1;
                let _ = credit_tx.send(());
            }
        }
        // On a write error the workers and the reader find their channels closed and stop.
        drop((credit_tx, done_rx));
        let read = reading
            .join()
            .unwrap_or_else(|_| Err("the thread reading the stream stopped".into()));
        written.and(read)
    })
}

enum Line {
    Text(String),
    NotUtf8,
    TooLong,
}

impl Line {
    fn is_blank(&self) -> bool {
        matches!(self, Line::Text(t) if t.trim().is_empty())
    }
}

/// Reads one line without ever holding more than `max` bytes of it: a longer line is skipped
/// to its end and reported as too long. Returns the line (None at end of input) and the bytes
/// consumed.
fn read_line(reader: &mut impl BufRead, max: usize) -> std::io::Result<(Option<Line>, u64)> {
    let mut buf = Vec::new();
    let mut consumed = 0u64;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            if consumed == 0 {
                return Ok((None, 0));
            }
            break;
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            let part = available.get(..take).unwrap_or_default();
            if buf.len() + part.len() > max.saturating_add(2) {
                too_long = true;
                buf = Vec::new();
            } else {
                buf.extend_from_slice(part);
            }
        }
        reader.consume(take);
        consumed += take as u64;
        if done {
            break;
        }
    }
    if too_long {
        return Ok((Some(Line::TooLong), consumed));
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    Ok((
        Some(String::from_utf8(buf).map_or(Line::NotUtf8, Line::Text)),
        consumed,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn lines(input: &str, max: usize) -> Vec<String> {
        let mut r = BufReader::with_capacity(4, input.as_bytes());
        let mut out = Vec::new();
        while let (Some(l), _) = read_line(&mut r, max).unwrap() {
            out.push(match l {
                Line::Text(t) => t,
                Line::NotUtf8 => "<not utf8>".into(),
                Line::TooLong => "<too long>".into(),
            });
        }
        out
    }

    #[test]
    fn lines_are_split_and_bounded() {
        assert_eq!(lines("a\nbb\r\n\nccc", 10), ["a", "bb", "", "ccc"]);
        assert_eq!(
            lines("short\nthis line is long\nok\n", 8),
            ["short", "<too long>", "ok"]
        );
    }
}
