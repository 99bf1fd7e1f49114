//! The evaluation pipeline: streams the order book chunk by chunk (bounded memory), and per
//! chunk (1) splits and validates rows in parallel, looking their keys up in the caches,
//! (2) adds new parties, chips and destinations and builds them in parallel, (3) finds each
//! row's distinct question, (4) decides the new questions in parallel with every engine,
//! (5) formats result lines in parallel and (6) writes them in input order while adding up
//! the totals, the orders that flip and the rejected rows.

use super::cache::{build_chip, build_dest, build_party, decide, Cache, Ctx, QKey, Slot};
use super::chunk::{split_header, Chunk, Chunker};
use super::columns::{parse_map, Columns, Field};
use super::output::{OrderOutput, OutFormat};
use super::progress::Progress;
use super::record::{Format, RecordReader};
use super::report::{FlipOrder, Rejected, Report};
use super::row::{self, KeyBufs, Row, State};
use super::segments::Segments;
use super::tally::Tallies;
use crate::question::PartyStatus;
use crate::screening::PartyContext;
use anyhow::{anyhow, Context, Result};
use chipgate_core::rules::View;
use chipgate_core::Engine;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;

/// Rows per chunk by default.
pub const CHUNK_ROWS: usize = 16_384;
/// Rows per parallel task inside a chunk.
const BLOCK_ROWS: usize = 2_048;

/// What to evaluate and how.
#[derive(Debug, Clone)]
pub struct Config {
    /// `--data DIR` (None = built-in data).
    pub data: Option<PathBuf>,
    /// Order book; `-` = standard input.
    pub input: PathBuf,
    /// Forced input format (otherwise from the extension, or sniffed on standard input).
    pub format: Option<Format>,
    pub scenarios: Vec<PathBuf>,
    /// Titles of the scenario engines, for embedders whose scenarios are not files (the
    /// report reads a title from the file in `scenarios` otherwise).
    pub scenario_titles: Vec<String>,
    pub as_of: Option<NaiveDate>,
    pub view: View,
    pub map: Vec<String>,
    pub parties: Option<PathBuf>,
    pub screen: bool,
    pub out: Option<PathBuf>,
    pub chunk_rows: usize,
    pub progress: bool,
    /// Print rejected rows to standard error as they are found.
    pub echo_rejects: bool,
    /// How many flipping orders and rejected rows the report lists (all are counted).
    pub list_limit: usize,
}

impl Config {
    pub fn new(input: impl Into<PathBuf>) -> Config {
        Config {
            data: None,
            input: input.into(),
            format: None,
            scenarios: Vec::new(),
            scenario_titles: Vec::new(),
            as_of: None,
            view: View::Enforced,
            map: Vec::new(),
            parties: None,
            screen: true,
            out: None,
            chunk_rows: CHUNK_ROWS,
            progress: false,
            echo_rejects: true,
            list_limit: 1_000,
        }
    }
}

/// Rows of one parallel task, with their order ids in one arena.
#[derive(Default)]
struct Block {
    rows: Vec<Row>,
    ids: String,
}

impl Block {
    fn id(&self, r: &Row) -> &str {
        self.ids
            .get(r.id.0 as usize..r.id.1 as usize)
            .unwrap_or_default()
    }
}

/// Counters a run reports about itself.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunStats {
    pub rows_read: u64,
    pub orders_evaluated: u64,
    pub rejected: u64,
    pub chunks: u64,
    pub max_chunk_rows: usize,
    pub distinct_questions: usize,
    pub distinct_parties: usize,
    pub distinct_chips: usize,
    pub date_boundaries: usize,
    /// Rows whose order id appeared on an earlier row (each is counted in the totals).
    pub duplicate_ids: u64,
    /// Orders with a party that matched a list (certain match).
    pub screening_matches: u64,
    /// Orders with a party that may match a list (potential match, to be reviewed).
    pub screening_potential_matches: u64,
}

/// Finds order ids seen before, keeping 16 bytes per distinct id (a 64-bit hash of the id
/// and its first line), so a book of millions of rows stays within bounded memory.
#[derive(Default)]
struct SeenIds(rustc_hash::FxHashMap<u64, u64>);

impl SeenIds {
    /// The first line of an earlier row with the same id, if any.
    fn check(&mut self, id: &str, line: u64) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        if id.is_empty() {
            return None;
        }
        let mut h = std::hash::DefaultHasher::new();
        id.hash(&mut h);
        match self.0.entry(h.finish()) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(line);
                None
            }
        }
    }
}

fn input_format(cfg: &Config, first: &[u8]) -> Format {
    if let Some(f) = cfg.format {
        return f;
    }
    match cfg
        .input
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("jsonl") | Some("ndjson") | Some("json") => Format::Jsonl,
        Some("csv") => Format::Csv,
        _ => {
            if first.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
                Format::Jsonl
            } else {
                Format::Csv
            }
        }
    }
}

fn header_fields(header: &[u8]) -> Result<Vec<String>> {
    let mut rdr = csv_core::Reader::new();
    let mut out = vec![0u8; header.len() + 16];
    let mut ends = vec![0usize; header.len() + 2];
    let (_, _, _, n1) = rdr.read_record(header, &mut out, &mut ends);
    let (_, _, _, n2) = rdr.read_record(&[], &mut out, &mut ends[n1..]);
    let text = std::str::from_utf8(&out).context("the header is not UTF-8")?;
    let mut start = 0;
    let mut fields = Vec::new();
    for e in &ends[..n1 + n2] {
        fields.push(text.get(start..*e).unwrap_or_default().to_string());
        start = *e;
    }
    Ok(fields)
}

/// Loads the baseline engine and one engine per scenario.
pub fn engines(cfg: &Config) -> Result<Vec<Engine>> {
    let mut v = vec![crate::data::engine(cfg.data.as_deref(), &[])?];
    for s in &cfg.scenarios {
        v.push(crate::data::engine(
            cfg.data.as_deref(),
            std::slice::from_ref(s),
        )?);
    }
    Ok(v)
}

/// Evaluates an order book; writes per-order results when `cfg.out` is set; returns the report.
pub fn evaluate(cfg: &Config) -> Result<Report> {
    let engines = engines(cfg)?;
    let cx = PartyContext::build(None, cfg.parties.as_deref(), cfg.screen)?;
    evaluate_with(cfg, &engines, &cx)
}

/// [`evaluate`] with engines and party context already loaded.
pub fn evaluate_with(cfg: &Config, engines: &[Engine], cx: &PartyContext) -> Result<Report> {
    // Input.
    let (reader, total_bytes): (Box<dyn Read + Send>, Option<u64>) = if cfg.input.as_os_str() == "-"
    {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(&cfg.input)
            .with_context(|| format!("opening {}", cfg.input.display()))?;
        let len = f.metadata().ok().map(|m| m.len());
        (Box::new(f), len)
    };
    // Output, opened once the header has been read. A file output is written to a temporary
    // file, renamed into place only when complete.
    let mut pending: Option<crate::outfile::Pending> = None;
    let mut xlsx_source: Option<std::fs::File> = None;
    let open_out = || -> Result<Option<Box<dyn Write + Send>>> {
        Ok(match &cfg.out {
            None => None,
            Some(p) if p.as_os_str() == "-" => Some(Box::new(std::io::stdout())),
            Some(p) if crate::outfile::extension(p) == "xlsx" => {
                // A spreadsheet: CSV to an anonymous temporary file, converted at the end.
                let f = tempfile::tempfile().context("creating a temporary file")?;
                xlsx_source = Some(f.try_clone()?);
                Some(Box::new(f))
            }
            Some(p) => {
                let (f, pend) = crate::outfile::create(p)?;
                pending = Some(pend);
                Some(Box::new(f))
            }
        })
    };
    let report = evaluate_stream(cfg, engines, cx, reader, total_bytes, open_out)?;
    if let Some(p) = pending {
        p.commit()?;
    }
    if let (Some(f), Some(p)) = (xlsx_source, &cfg.out) {
        csv_to_xlsx(f, p)?;
    }
    Ok(report)
}

/// [`evaluate_with`] on an order book already open as `input` (`total_bytes`, when known,
/// drives the progress bar): `cfg.input` only names it in messages, and the per-order results
/// go to the writer `open_out` returns once the header is read (none: no per-order results;
/// their format follows `cfg.out`'s extension, CSV without one). Embedders (the Python
/// package) evaluate an in-memory book this way, with the very pipeline `chipgate orders` runs.
pub fn evaluate_stream<'a>(
    cfg: &Config,
    engines: &[Engine],
    cx: &PartyContext,
    input: Box<dyn Read + Send + 'a>,
    total_bytes: Option<u64>,
    open_out: impl FnOnce() -> Result<Option<Box<dyn Write + Send + 'a>>>,
) -> Result<Report> {
    let scenario_ids: Vec<String> = engines
        .get(1..)
        .unwrap_or_default()
        .iter()
        .map(|e| e.scenarios.last().cloned().unwrap_or_default())
        .collect();
    let segs = Segments::build(&engines.iter().collect::<Vec<_>>(), cfg.view);
    let map = parse_map(&cfg.map)?;
    let baseline = engines.first().ok_or_else(|| anyhow!("no engine"))?;

    let mut reader = input;
    let mut sniff = vec![0u8; 0];
    let mut peek = [0u8; 4096];
    let n = reader.read(&mut peek)?;
    sniff.extend_from_slice(&peek[..n]);
    let format = input_format(cfg, &sniff);
    let mut reader: Box<dyn Read + Send + 'a> = Box::new(std::io::Cursor::new(sniff).chain(reader));
    let (columns, rest, first_line, header_len) = match format {
        Format::Csv => {
            let (header, rest, line) = split_header(&mut reader, true)
                .with_context(|| format!("reading {}", cfg.input.display()))?;
            let names = header_fields(&header)?;
            (
                Columns::from_header(&names, &map)?,
                rest,
                line,
                header.len() as u64 + 1,
            )
        }
        Format::Jsonl => (
            Columns {
                by_position: Vec::new(),
                ignored: Vec::new(),
            },
            Vec::new(),
            1,
            0,
        ),
    };
    let mut chunker =
        Chunker::new(reader, format == Format::Csv, cfg.chunk_rows, first_line).with_prefix(rest);

    // Output.
    let mut output = OrderOutput::new(
        cfg.out
            .as_deref()
            .map(OutFormat::from_path)
            .unwrap_or(OutFormat::Csv),
        &scenario_ids,
    );
    let mut out: Option<BufWriter<Box<dyn Write + Send + 'a>>> =
        open_out()?.map(|w| BufWriter::with_capacity(1 << 20, w));
    if let Some(w) = out.as_mut() {
        w.write_all(&output.header())?;
    }

    let ctx = Ctx {
        engines,
        cx,
        view: cfg.view,
    };
    let mut cache = Cache::default();
    let mut tallies = Tallies::default();
    let mut stats = RunStats {
        date_boundaries: segs.boundaries(),
        ..Default::default()
    };
    let mut flips: Vec<FlipOrder> = Vec::new();
    let mut flips_total = 0u64;
    let mut rejected: Vec<Rejected> = Vec::new();
    let mut seen = SeenIds::default();
    let mut duplicates: Vec<super::report::Duplicate> = Vec::new();
    let progress = Progress::new(cfg.progress, total_bytes);
    let mut stderr = std::io::stderr().lock();
    // Buffers reused from chunk to chunk.
    let mut blocks: Vec<Block> = Vec::new();

    // Reading (and cutting records) and writing run on their own threads, overlapping the
    // parallel work on the chunk in between; buffers travel back for reuse.
    std::thread::scope(|scope| -> Result<()> {
        let (chunk_tx, chunk_rx) =
            std::sync::mpsc::sync_channel::<std::io::Result<(Chunk, u64)>>(1);
        let (spare_tx, spare_rx) = std::sync::mpsc::channel::<Chunk>();
        scope.spawn(move || loop {
            if let Ok(c) = spare_rx.try_recv() {
                chunker.recycle(c);
            }
            match chunker.next_chunk() {
                Ok(Some(c)) => {
                    if chunk_tx.send(Ok((c, chunker.consumed))).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = chunk_tx.send(Err(e));
                    break;
                }
            }
        });
        let (text_tx, text_rx) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(1);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<Vec<u8>>>();
        let writer = out.take().map(|mut w| {
            scope.spawn(move || -> std::io::Result<()> {
                for texts in text_rx {
                    for t in &texts {
                        w.write_all(t)?;
                    }
                    let _ = back_tx.send(texts);
                }
                w.flush()
            })
        });
        for msg in chunk_rx {
            let (chunk, consumed) =
                msg.with_context(|| format!("reading {}", cfg.input.display()))?;
            stats.chunks += 1;
            stats.max_chunk_rows = stats.max_chunk_rows.max(chunk.records.len());
            stats.rows_read += chunk.records.len() as u64;
            split_rows(
                &mut blocks,
                &chunk,
                format,
                &columns,
                &map,
                &segs,
                cfg.as_of,
                &cache,
            );
            let _ = spare_tx.send(chunk);
            add_entries(&mut blocks, &mut cache, &ctx, baseline);
            let pending = find_questions(&mut blocks, &cache, &segs);
            add_questions(&mut blocks, pending, &mut cache, &ctx);
            output.add_questions(&cache.questions);

            // Format in parallel, then write and add up in input order.
            if writer.is_some() {
                let mut texts = back_rx.try_recv().unwrap_or_default();
                texts.resize_with(blocks.len(), Vec::new);
                texts.truncate(blocks.len());
                blocks
                    .par_iter()
                    .zip(texts.par_iter_mut())
                    .for_each(|(b, buf)| {
                        buf.clear();
                        for r in &b.rows {
                            let date = (r.date != NaiveDate::MIN).then_some(r.date);
                            let res = match &r.state {
                                State::Question(q) => match cache.questions.get(*q as usize) {
                                    Some(Err(e)) => Err(e.as_str()),
                                    _ => Ok(*q),
                                },
                                State::Rejected(e) => Err(e.as_str()),
                                State::Keyed { .. } => Err("internal: not evaluated"),
                            };
                            output.row(buf, b.id(r), r.line, date, res);
                        }
                    });
                if text_tx.send(texts).is_err() {
                    break; // the writer stopped: its error is reported below
                }
            }
            let mut reject_text = String::new();
            for b in &blocks {
                for r in &b.rows {
                    if let Some(first) = seen.check(b.id(r), r.line) {
                        stats.duplicate_ids += 1;
                        if cfg.echo_rejects {
                            reject_text.push_str(&format!(
                                "line {}: warning: order id `{}` repeats line {first} (both are counted)\n",
                                r.line,
                                b.id(r)
                            ));
                        }
                        if duplicates.len() < cfg.list_limit {
                            duplicates.push(super::report::Duplicate {
                                order_id: b.id(r).to_string(),
                                line: r.line,
                                first_line: first,
                            });
                        }
                    }
                    let reason = match &r.state {
                        State::Question(q) => match cache.questions.get(*q as usize) {
                            Some(Ok(question)) => {
                                stats.orders_evaluated += 1;
                                match question.screening_status {
                                    PartyStatus::Match => stats.screening_matches += 1,
                                    PartyStatus::PotentialMatch => {
                                        stats.screening_potential_matches += 1
                                    }
                                    _ => {}
                                }
                                tallies.add(*q, r.quantity, r.price);
                                if question.flips {
                                    flips_total += 1;
                                    if flips.len() < cfg.list_limit {
                                        flips.push(FlipOrder::new(b.id(r), r, question, &cache));
                                    }
                                }
                                continue;
                            }
                            Some(Err(e)) => e.clone(),
                            None => "internal: question missing".to_string(),
                        },
                        State::Rejected(e) => e.clone(),
                        State::Keyed { .. } => "internal: not evaluated".to_string(),
                    };
                    stats.rejected += 1;
                    if cfg.echo_rejects {
                        let id = b.id(r);
                        reject_text.push_str(&format!(
                            "line {}: {}{}\n",
                            r.line,
                            if id.is_empty() {
                                String::new()
                            } else {
                                format!("order {id}: ")
                            },
                            reason
                        ));
                    }
                    if rejected.len() < cfg.list_limit {
                        rejected.push(Rejected {
                            line: r.line,
                            order_id: b.id(r).to_string(),
                            reason,
                        });
                    }
                }
            }
            if !reject_text.is_empty() {
                progress.suspend(|| {
                    let _ = stderr.write_all(reject_text.as_bytes());
                });
            }
            progress.update(consumed + header_len, stats.rows_read);
        }
        drop(text_tx);
        if let Some(h) = writer {
            h.join()
                .map_err(|_| anyhow!("the output writer failed"))?
                .context("writing the per-order results")?;
        }
        Ok(())
    })?;
    progress.finish(stats.rows_read);
    stats.distinct_questions = cache.questions.len();
    stats.distinct_parties = cache.parties.len();
    stats.distinct_chips = cache.chips.len();
    let mut report = super::report::build(
        cfg,
        engines,
        &cache,
        &tallies,
        stats,
        &columns,
        flips,
        flips_total,
        rejected,
    );
    report.duplicates = duplicates;
    Ok(report)
}

/// Converts the per-order CSV into a one-sheet spreadsheet (`line` as a number).
fn csv_to_xlsx(mut f: std::fs::File, path: &std::path::Path) -> Result<()> {
    use crate::xlsx::{Cell, Sheet};
    use std::io::Seek;
    f.rewind()?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::new(f));
    let headers: Vec<String> = rdr.headers()?.iter().map(str::to_string).collect();
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut sheet = Sheet::new("orders", &refs)?;
    let line_col = headers.iter().position(|h| h == "line");
    for rec in rdr.records() {
        let rec = rec?;
        let cells: Vec<Cell> = rec
            .iter()
            .enumerate()
            .map(|(i, v)| match v.parse::<f64>() {
                Ok(n) if Some(i) == line_col => Cell::Number(n),
                _ => Cell::Text(v.to_string()),
            })
            .collect();
        sheet.push(&cells)?;
    }
    sheet.save(path)
}

/// Phase 1: rows split, validated and looked up, in parallel (into reused blocks).
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is one independent input of the step"
)]
fn split_rows(
    blocks: &mut Vec<Block>,
    chunk: &Chunk,
    format: Format,
    columns: &Columns,
    map: &[(String, Field)],
    segs: &Segments,
    as_of: Option<NaiveDate>,
    cache: &Cache,
) {
    let n = chunk.records.len().div_ceil(BLOCK_ROWS);
    blocks.resize_with(n, Block::default);
    blocks.truncate(n);
    blocks
        .par_iter_mut()
        .zip(chunk.records.par_chunks(BLOCK_ROWS))
        .for_each_init(
            || (RecordReader::new(format, columns, map), KeyBufs::default()),
            |(rr, bufs), (b, spans)| {
                b.rows.clear();
                b.ids.clear();
                for s in spans {
                    let start = b.ids.len() as u32;
                    let row = match rr.fields(chunk.record(s)) {
                        Ok(f) => {
                            if let Some(id) = f[Field::OrderId as usize] {
                                b.ids.push_str(id);
                            }
                            let id = (start, b.ids.len() as u32);
                            row::parse(&f, s.line, id, segs, as_of, cache, bufs)
                        }
                        Err(reason) => Row {
                            line: s.line,
                            id: (start, start),
                            date: NaiveDate::MIN,
                            seg: 0,
                            quantity: 0.0,
                            price: None,
                            state: State::Rejected(reason),
                        },
                    };
                    b.rows.push(row);
                }
            },
        );
}

/// Phase 2: new parties, chips and destinations get ids (in input order) and are built in parallel.
fn add_entries(blocks: &mut [Block], cache: &mut Cache, ctx: &Ctx<'_>, baseline: &Engine) {
    let (mut new_p, mut new_c, mut new_d) = (Vec::new(), Vec::new(), Vec::new());
    for b in blocks.iter_mut() {
        for r in b.rows.iter_mut() {
            if let State::Keyed { party, chip, dest } = &mut r.state {
                for (slot, which) in [(party, 0), (chip, 1), (dest, 2)] {
                    if let Slot::New(key) = slot {
                        let key = std::mem::take(key);
                        let (id, new) = match which {
                            0 => cache.parties.assign(key.clone()),
                            1 => cache.chips.assign(key.clone()),
                            _ => cache.dests.assign(key.clone()),
                        };
                        if new {
                            match which {
                                0 => new_p.push(key),
                                1 => new_c.push(key),
                                _ => new_d.push(key),
                            }
                        }
                        *slot = Slot::Known(id);
                    }
                }
            }
        }
    }
    let built_p: Vec<_> = new_p.par_iter().map(|k| build_party(k, ctx)).collect();
    let built_c: Vec<_> = new_c.par_iter().map(|k| build_chip(k, baseline)).collect();
    let built_d: Vec<_> = new_d.iter().map(|k| build_dest(k, baseline)).collect();
    cache.parties.extend(built_p);
    cache.chips.extend(built_c);
    cache.dests.extend(built_d);
}

/// Phase 3: each row's distinct question (or why it has none); returns rows still to decide.
fn find_questions(blocks: &mut [Block], cache: &Cache, segs: &Segments) -> Vec<Vec<(usize, QKey)>> {
    blocks
        .par_iter_mut()
        .map(|b| {
            let mut pending = Vec::new();
            for (i, r) in b.rows.iter_mut().enumerate() {
                let State::Keyed {
                    party: Slot::Known(p),
                    chip: Slot::Known(c),
                    dest: Slot::Known(d),
                } = r.state
                else {
                    continue;
                };
                let (party, chip, dest) =
                    (cache.parties.get(p), cache.chips.get(c), cache.dests.get(d));
                let (party, chip) = match (party, chip, dest) {
                    (Some(Ok(party)), Some(Ok(chip)), Some(Ok(_))) => (party, chip),
                    (p, c, d) => {
                        let reason = [
                            p.and_then(|x| x.as_ref().err()),
                            c.and_then(|x| x.as_ref().err()),
                            d.and_then(|x| x.as_ref().err()),
                        ]
                        .into_iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("; ");
                        r.state = State::Rejected(if reason.is_empty() {
                            "internal: entry missing".into()
                        } else {
                            reason
                        });
                        continue;
                    }
                };
                let qkey = segs
                    .quantity_rule(r.seg)
                    .key(r.quantity, chip.tpp, chip.count);
                let key: QKey = (p, party.epoch(r.date), c, d, r.seg, qkey);
                match cache.questions_map.get(&key) {
                    Some(q) => r.state = State::Question(*q),
                    None => pending.push((i, key)),
                }
            }
            pending
        })
        .collect()
}

/// Phase 4: new distinct questions get ids (first row in input order stands for the others)
/// and are decided in parallel.
fn add_questions(
    blocks: &mut [Block],
    pending: Vec<Vec<(usize, QKey)>>,
    cache: &mut Cache,
    ctx: &Ctx<'_>,
) {
    let mut new: Vec<(QKey, NaiveDate, f64)> = Vec::new();
    for (b, pend) in blocks.iter_mut().zip(pending) {
        for (i, key) in pend {
            let Some(r) = b.rows.get_mut(i) else { continue };
            let next = (cache.questions.len() + new.len()) as u32;
            let id = *cache.questions_map.entry(key).or_insert(next);
            if id == next {
                new.push((key, r.date, r.quantity));
            }
            r.state = State::Question(id);
        }
    }
    let c: &Cache = cache;
    let decided: Vec<_> = new
        .par_iter()
        .map(|(k, date, q)| decide(c, ctx, k, *date, *q))
        .collect();
    cache.questions.extend(decided);
}
