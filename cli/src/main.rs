//! The `cloudgate` command line: check requests, list and test packs, print the schema.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use cloudgate::cases::run_tests;
use cloudgate::decision::{Decision, RequestHint, Verdict};
use cloudgate::eval::coverage::RuleCoverage;
use cloudgate::report::{render_text, traceability_markdown};
use cloudgate::{Date, Engine, EngineOptions, EvalOptions, InputError, Limits, Pack, PackError};

mod audit;

mod batch;

mod alloc;

#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

mod generate;

#[derive(Parser)]
#[command(
    name = "cloudgate",
    version,
    about = "Decide whether a cloud tenancy lifecycle request may proceed"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct PackArgs {
    /// Load the pack from this folder instead of the embedded default pack.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Override a pack parameter: NAME=JSON (e.g. max_identity_age_days=180). Repeatable.
    #[arg(long = "param", value_name = "NAME=JSON")]
    params: Vec<String>,
    /// Refuse to run unless the pack's digest is exactly this (`sha256:…`).
    #[arg(long, value_name = "DIGEST")]
    pack_digest: Option<String>,
    /// Change a sandbox or request limit: NAME=VALUE, e.g. max_operations=200000 or
    /// input.max_bytes=2097152 (names: docs/limits.md). Repeatable.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    limits: Vec<String>,
}

/// Applies `--limit NAME=VALUE` overrides through the limits' own serde names, so every field
/// of `Limits` and `InputLimits` is reachable and an unknown name is refused.
fn limits_from(args: &[String]) -> Result<Limits, String> {
    let mut value = serde_json::to_value(Limits::default()).map_err(|e| e.to_string())?;
    for item in args {
        let (name, raw) = item
            .split_once('=')
            .ok_or_else(|| format!("--limit {item}: expected NAME=VALUE"))?;
        let number: u64 = raw
            .trim()
            .parse()
            .map_err(|_| format!("--limit {name}: `{raw}` is not a whole number"))?;
        let mut slot = &mut value;
        for part in name.split('.') {
            slot = slot
                .get_mut(part)
                .ok_or_else(|| format!("--limit {name}: unknown limit (see docs/limits.md)"))?;
        }
        if !slot.is_u64() {
            return Err(format!(
                "--limit {name}: unknown limit (see docs/limits.md)"
            ));
        }
        *slot = serde_json::Value::from(number);
    }
    serde_json::from_value(value).map_err(|e| format!("--limit: {e}"))
}

#[derive(Subcommand)]
enum Command {
    /// Decide each request file ('-' reads standard input; a folder means every *.json in it),
    /// or each line of an NDJSON stream. Exit 0: all allow; 1: some review or deny; 2: some
    /// error (or a pack that does not load); 64: the command line is wrong.
    Check {
        #[command(flatten)]
        pack: PackArgs,
        /// Evaluation date for requests without `as_of` (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Passing findings carry a message naming the values checked and the limit they met.
        #[arg(long)]
        explain: bool,
        /// Each decision carries its audit record: decision id, input digest (sha256 of the
        /// request's RFC 8785 canonical JSON), time of evaluation, engine.
        #[arg(long)]
        record: bool,
        /// Append one audit line per decision to FILE (NDJSON), each written before its
        /// decision is printed. Implies --record.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        /// Read one request per line from FILE ('-': standard input) and write one decision per
        /// line, in input order. Blank lines are skipped.
        #[arg(long, value_name = "FILE", conflicts_with = "files")]
        ndjson: Option<PathBuf>,
        /// Threads deciding in parallel (default: every core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Print a summary (count, verdicts, decisions per second) on stderr, also when stderr
        /// is not a terminal.
        #[arg(long)]
        summary: bool,
        #[arg(required_unless_present = "ndjson", value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write N varied requests as NDJSON, for benchmarks (bench/README.md).
    #[command(hide = true)]
    Generate {
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only this scenario (default: all four, in turn).
        #[arg(long)]
        scenario: Option<String>,
    },
    /// List the pack's rules (markdown: a traceability matrix rule → clauses).
    Rules {
        #[command(flatten)]
        pack: PackArgs,
        #[arg(long, value_enum, default_value_t = ListFormat::Markdown)]
        format: ListFormat,
    },
    /// Run the pack's own test cases (tests/*.json in the pack).
    Test {
        #[command(flatten)]
        pack: PackArgs,
        /// Count which statements and branches of each rule the cases run: print a line per
        /// rule and write an lcov tracefile (see --lcov).
        #[arg(long)]
        coverage: bool,
        /// Where --coverage writes lcov.
        #[arg(long, value_name = "FILE", default_value = "coverage/lcov.info")]
        lcov: PathBuf,
    },
    /// Print the JSON Schema of a request (or, with --decision, of a decision).
    Schema {
        #[arg(long)]
        decision: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub(crate) enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ListFormat {
    Json,
    Markdown,
}

/// Why the command could not decide: the command line itself is wrong (exit 64, sysexits'
/// EX_USAGE), or something failed while running it (exit 2, as an `error` decision does: an
/// unreadable file, a pack that does not load or whose digest differs).
enum Failure {
    Usage(String),
    Failed(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Failed(message)
    }
}

/// The exit code of a command line that cannot be understood; distinct from 2, which is an
/// `error` decision (or a failure while deciding), so scripts can tell a typo from a refusal.
const EXIT_USAGE: u8 = 64;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // `--help` and `--version` are not errors.
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Usage(message)) => {
            eprintln!("cloudgate: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("cloudgate: {message}");
            ExitCode::from(2)
        }
    }
}

/// One line a rule (statements and branch arms covered, what was missed), a total, and the
/// lcov tracefile.
fn print_coverage(rules: &[RuleCoverage], root: &str, lcov: &Path) -> Result<(), Failure> {
    let mut statements = (0, 0);
    let mut arms = (0, 0);
    println!("coverage: statements, branch arms, and what no case runs (a line, a statement line:column, an arm line:column#arm)");
    for r in rules {
        statements.0 += r.statements.covered;
        statements.1 += r.statements.total;
        arms.0 += r.branch_arms.covered;
        arms.1 += r.branch_arms.total;
        let (mut missed, arms_missed) = r.missed();
        missed.extend(arms_missed);
        println!(
            "  {:<8} {:>3}/{:<3} stmts {:>3}/{:<3} arms{}",
            r.rule,
            r.statements.covered,
            r.statements.total,
            r.branch_arms.covered,
            r.branch_arms.total,
            if missed.is_empty() {
                String::new()
            } else {
                format!("  missed {}", missed.join(" "))
            }
        );
    }
    let percent = |(a, b): (usize, usize)| {
        if b == 0 {
            100.0
        } else {
            a as f64 * 100.0 / b as f64
        }
    };
    println!(
        "coverage: {}/{} statements ({:.1} %), {}/{} branch arms ({:.1} %)",
        statements.0,
        statements.1,
        percent(statements),
        arms.0,
        arms.1,
        percent(arms)
    );
    if let Some(dir) = lcov.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(lcov, cloudgate::eval::coverage::lcov(rules, root))
        .map_err(|e| format!("{}: {e}", lcov.display()))?;
    println!("lcov written to {}", lcov.display());
    Ok(())
}

fn load_engine(args: &PackArgs) -> Result<Engine, Failure> {
    let show = |e: PackError| e.to_string();
    let mut pack = match &args.rules {
        Some(dir) => Pack::from_dir(dir).map_err(show)?,
        None => Pack::embedded().map_err(show)?,
    };
    if !args.params.is_empty() {
        let mut overrides = serde_json::Map::new();
        for item in &args.params {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| Failure::Usage(format!("--param {item}: expected NAME=JSON")))?;
            let value: serde_json::Value = serde_json::from_str(value).map_err(|e| {
                Failure::Usage(format!(
                    "--param {name}: the value is not JSON ({e}); quote strings as '\"text\"'"
                ))
            })?;
            overrides.insert(name.to_string(), value);
        }
        pack.override_params(&overrides).map_err(show)?;
    }
    if let Some(expected) = &args.pack_digest {
        let actual = pack.digest();
        if &actual != expected {
            return Err(Failure::Failed(format!(
                "the pack's digest is {actual}, not the expected {expected}: refusing to run rules that differ"
            )));
        }
    }
    Engine::with_options(
        pack,
        EngineOptions {
            limits: limits_from(&args.limits).map_err(Failure::Usage)?,
            lenient: false,
        },
    )
    .map_err(|e| Failure::Failed(show(e)))
}

fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Check {
            pack,
            as_of,
            format,
            explain,
            record,
            log,
            ndjson,
            jobs,
            summary,
            files,
        } => {
            let engine = load_engine(&pack)?;
            let as_of = match as_of {
                Some(text) => {
                    Some(Date::parse(&text).map_err(|e| Failure::Usage(format!("--as-of: {e}")))?)
                }
                None => None,
            };
            let options = EvalOptions {
                as_of,
                explain,
                record: record || log.is_some(),
            };
            let mut log = log.as_deref().map(audit::AuditLog::open).transpose()?;
            let batch = batch::Batch::new(jobs, summary);
            match ndjson {
                Some(input) => Ok(batch.ndjson(&engine, &input, &options, format, &mut log)?),
                None => {
                    let files = batch::expand_folders(&files)?;
                    if files.len() > 1 {
                        Ok(batch.files(&engine, &files, &options, format, &mut log)?)
                    } else {
                        Ok(check(&engine, &files, &options, format, &mut log)?)
                    }
                }
            }
        }
        Command::Generate {
            count,
            seed,
            scenario,
        } => {
            generate::run(count, seed, scenario.as_deref())?;
            Ok(0)
        }
        Command::Rules { pack, format } => {
            let engine = load_engine(&pack)?;
            let out = match format {
                ListFormat::Json => {
                    let rules: Vec<_> = engine.rules().collect();
                    serde_json::to_string_pretty(&rules).map_err(|e| e.to_string())?
                }
                ListFormat::Markdown => traceability_markdown(&engine),
            };
            println!("{out}");
            Ok(0)
        }
        Command::Test {
            pack,
            coverage,
            lcov,
        } => {
            let engine = load_engine(&pack)?;
            let mut counted = coverage.then(|| engine.coverage());
            let reports = run_tests(&engine, &engine.pack().tests, counted.as_mut())?;
            let failed: Vec<_> = reports.iter().filter(|r| !r.passed).collect();
            for report in &failed {
                println!("FAIL {} :: {}", report.file, report.name);
                for p in &report.problems {
                    println!("     {p}");
                }
            }
            let mut covered: std::collections::BTreeMap<&str, usize> = Default::default();
            for r in engine.rules() {
                covered.insert(r.id.as_str(), 0);
            }
            for report in &reports {
                if let Some(n) = covered.get_mut(report.rule.as_str()) {
                    *n += 1;
                }
            }
            let thin: Vec<String> = covered
                .iter()
                .filter(|(_, n)| **n < 2)
                .map(|(id, n)| format!("{id} ({n})"))
                .collect();
            if !thin.is_empty() {
                println!(
                    "note: rules with fewer than 2 cases in tests/<ID>.json: {}",
                    thin.join(", ")
                );
            }
            println!(
                "pack {} {}: {} cases over {} rules",
                engine.pack_info().name,
                engine.pack_info().version,
                reports.len(),
                engine.rules().count()
            );
            println!(
                "{} passed, {} failed",
                reports.len() - failed.len(),
                failed.len()
            );
            if let Some(counted) = counted {
                let root = pack
                    .rules
                    .as_deref()
                    .map_or_else(|| "rules".to_owned(), |d| d.display().to_string());
                print_coverage(&engine.coverage_report(&counted), &root, &lcov)?;
            }
            Ok(if failed.is_empty() { 0 } else { 1 })
        }
        Command::Schema { decision } => {
            let schema = if decision {
                cloudgate::decision_schema()
            } else {
                cloudgate::request_schema()
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?
            );
            Ok(0)
        }
    }
}

pub(crate) fn read_input(path: &Path) -> Result<String, String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "{} is not UTF-8 text (first bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
    }
    Ok(text)
}

pub(crate) fn check(
    engine: &Engine,
    files: &[PathBuf],
    options: &EvalOptions,
    format: Format,
    log: &mut Option<audit::AuditLog>,
) -> Result<u8, String> {
    let mut worst = Verdict::Allow;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in files {
        let decision = match read_input(path) {
            Ok(text) => engine.evaluate_json(&text, options),
            Err(message) => Decision::rejected(
                engine.pack_info().clone(),
                vec![InputError::new("unreadable", message, "$")],
                RequestHint::default(),
            ),
        };
        worst = worst.max(decision.decision);
        if let (Some(log), Some(line)) = (log.as_mut(), audit::line(&decision)) {
            log.append(&line)?;
        }
        let text = match format {
            Format::Json if files.len() == 1 => serde_json::to_string_pretty(&decision),
            Format::Json => Ok(engine.decision_json(&decision)),
            Format::Text => Ok(render_text(&path.display().to_string(), &decision)),
        }
        .map_err(|e| e.to_string())?;
        writeln!(out, "{text}").map_err(|e| e.to_string())?;
    }
    Ok(match worst {
        Verdict::Allow => 0,
        Verdict::Review | Verdict::Deny => 1,
        Verdict::Error => 2,
    })
}
