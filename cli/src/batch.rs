//! Batch mode of `cloudgate check`: many files or an NDJSON stream, decided on every core.
//!
//! One compiled [`Engine`] is shared by all threads (natively it is `Send + Sync`). On several
//! threads batch mode is a pipeline: pieces of the stream (or of the list of files) are handed
//! to the workers as they free up, so a slow request stalls no one, and the decisions are
//! written in input order while the next are decided. On one thread each request is decided and
//! written in turn. Either way memory stays bounded however long the stream or the list.

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudgate::decision::{Decision, RequestHint, Verdict};
use cloudgate::report::render_text;
use cloudgate::{Engine, EvalOptions, InputError};

use crate::audit::{self, AuditLog};
use crate::{read_input, Format};

/// Lines of a stream, and files, a worker takes at a time (a file is read by the worker).
const LINES_PIECE: usize = 64;
const FILES_PIECE: usize = 8;
/// Pieces per worker read ahead of the writer, at most, and in all (beyond 64 workers some wait
/// for a piece).
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
    /// Its audit line, when the decision carries a record (`--record`, `--log`).
    log: Option<String>,
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
            log: audit::line(d),
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

    /// Many request files, one compact decision per line, in the order given.
    pub fn files(
        &self,
        engine: &Engine,
        files: &[PathBuf],
        options: &EvalOptions,
        format: Format,
        log: &mut Option<AuditLog>,
    ) -> Result<u8, String> {
        let started = Instant::now();
        let bar = progress(Some(files.len() as u64), false);
        let decide = |path: &&PathBuf| {
            let d = match read_input(path) {
                Ok(text) => engine.evaluate_json(&text, options),
                Err(message) => unreadable(engine, message),
            };
            Rendered::new(engine, &d, format, || path.display().to_string())
        };
        self.drive(Paths(files.iter()), decide, &bar, &bar, started, log)
    }

    /// An NDJSON stream: one decision per non-blank line, in order.
    pub fn ndjson(
        &self,
        engine: &Engine,
        input: &Path,
        options: &EvalOptions,
        format: Format,
        log: &mut Option<AuditLog>,
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
        self.drive(lines, decide, &counter, &bar, started, log)
    }

    /// Decides everything `source` hands out, on one thread or as a pipeline, and writes the
    /// decisions to stdout in order; the exit code of the worst. `counter` counts requests
    /// decided (hidden when `bar` counts bytes read instead).
    fn drive<S: Source>(
        &self,
        source: S,
        decide: impl Fn(&S::Item) -> Rendered + Sync,
        counter: &ProgressBar,
        bar: &ProgressBar,
        started: Instant,
        log: &mut Option<AuditLog>,
    ) -> Result<u8, String> {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut tally = Tally::default();
        let emit = |d: &Rendered| {
            tally.add(d.verdict);
            // The audit line first: a decision written is a decision logged.
            if let (Some(log), Some(line)) = (log.as_mut(), &d.log) {
                log.append(line)?;
            }
            d.write(&mut out)
        };
        let done = if self.jobs <= 1 {
            serial(source, decide, counter, emit)
        } else {
            pipelined(self.jobs, source, decide, counter, emit)
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

/// What batch mode decides, handed out a piece at a time (in order; `None` when done).
trait Source: Send {
    type Item: Send + Sync;
    fn piece(&mut self) -> Result<Option<Vec<Self::Item>>, String>;
}

impl<R: Read + Send> Source for Lines<'_, R> {
    type Item = (usize, Line);

    /// Up to `LINES_PIECE` non-blank lines.
    fn piece(&mut self) -> Result<Option<Vec<(usize, Line)>>, String> {
        let mut piece = Vec::with_capacity(LINES_PIECE);
        let mut read = 0;
        while piece.len() < LINES_PIECE {
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

/// Request files; each is read by the thread that decides it.
struct Paths<'a>(std::slice::Iter<'a, PathBuf>);

impl<'a> Source for Paths<'a> {
    type Item = &'a PathBuf;

    fn piece(&mut self) -> Result<Option<Vec<&'a PathBuf>>, String> {
        let piece: Vec<_> = self.0.by_ref().take(FILES_PIECE).collect();
        Ok((!piece.is_empty()).then_some(piece))
    }
}

/// One thread: each request decided and written in turn. What `--jobs 1` measures is one
/// core's work alone.
fn serial<S: Source>(
    mut source: S,
    decide: impl Fn(&S::Item) -> Rendered,
    counter: &ProgressBar,
    mut emit: impl FnMut(&Rendered) -> Result<(), String>,
) -> Result<(), String> {
    while let Some(piece) = source.piece()? {
        for item in &piece {
            emit(&decide(item))?;
        }
        // A piece at a time: each `inc` costs a few hundred instructions even on a hidden bar.
        counter.inc(piece.len() as u64);
    }
    Ok(())
}

/// Several threads, none waiting for another: one takes pieces from the source (reading the
/// stream), `jobs` workers decide them, and this thread writes the decisions in input order as
/// they come. The chunked loop before it read and wrote between chunks while every worker
/// waited, and started its workers again for every chunk (bench/README.md); files
/// were all decided before the first was written.
/// At most `AHEAD` pieces per worker (`MAX_AHEAD` in all) are read and not yet written (credits
/// the writer hands back), so memory stays bounded whatever the stream's length or stdout's
/// speed.
fn pipelined<S: Source>(
    jobs: usize,
    mut source: S,
    decide: impl Fn(&S::Item) -> Rendered + Sync,
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
    let (work_tx, work_rx) = sync_channel::<(usize, Vec<S::Item>)>(ahead);
    let work_rx = Arc::new(Mutex::new(work_rx));
    // A piece's decisions, or why its worker stopped (see below).
    let (done_tx, done_rx) = channel::<(usize, Result<Vec<Rendered>, String>)>();
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
                // The release build aborts on a panic; a build that unwinds (tests, debug) must
                // not leave the writer waiting for a piece that never comes, so a worker that
                // panics hands over why instead of its piece, and the run stops with an error.
                let decided = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    piece.iter().map(decide).collect::<Vec<Rendered>>()
                }))
                .map_err(|cause| {
                    let why = cause
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| cause.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    format!("a worker thread stopped while deciding: {why}")
                });
                let stopped = decided.is_err();
                counter.inc(piece.len() as u64);
                if done_tx.send((seq, decided)).is_err() || stopped {
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
            return serial(source, decide, counter, emit);
        }
        let reading = s.spawn(move || -> Result<(), String> {
            let mut seq = 0;
            while credit_rx.recv().is_ok() {
                let Some(piece) = source.piece()? else {
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
                // A worker's panic ends the run where its piece would have been written: every
                // piece before it was taken first (the queue is in order), so each arrives.
                let ready = match ready {
                    Ok(ready) => ready,
                    Err(why) => {
                        written = Err(why);
                        break 'receive;
                    }
                };
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
        // On a write error (or a worker's panic) the workers and the reader find their channels
        // closed and stop.
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

    /// A worker that panics ends the run with an error instead of leaving the writer waiting.
    #[test]
    fn a_panicking_worker_stops_the_pipeline() {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let paths: Vec<PathBuf> = (0..200).map(|i| PathBuf::from(i.to_string())).collect();
            let decide = |p: &&PathBuf| {
                assert_ne!(p.to_str(), Some("77"), "request 77 breaks the engine");
                Rendered {
                    verdict: Verdict::Allow,
                    text: Ok(String::new()),
                    log: None,
                }
            };
            let mut written = 0;
            let emit = |_: &Rendered| {
                written += 1;
                Ok(())
            };
            let done = pipelined(2, Paths(paths.iter()), decide, &ProgressBar::hidden(), emit);
            let _ = tx.send((done, written));
        });
        let (done, written) = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the pipeline hung");
        let error = done.unwrap_err();
        assert!(error.contains("request 77 breaks the engine"), "{error}");
        // Pieces of 8: everything before the piece with 77 was written, and nothing after it.
        assert_eq!(written, 72);
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
