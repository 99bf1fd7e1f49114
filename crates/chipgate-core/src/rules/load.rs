//! Loading and validating rule files. Every problem is reported with file, line and key, and
//! all problems of a load are reported together; nothing is silently dropped.

use super::model::*;
use crate::countries::{toml_date, Countries};
use crate::error::{line_of, DataError, DataErrors};
use crate::expr::{self, NamedSets, Node, Resolver};
use crate::facts::Ty;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// A rule file's name and text, as handed in by the caller (the core does no I/O).
#[derive(Debug, Clone, Default)]
pub struct RuleSource {
    pub name: String,
    pub text: String,
}

/// The validated rulebook.
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub events: Vec<Event>,
    pub provisions: Vec<Provision>,
    pub sets: NamedSets,
    /// Stable fingerprint of the inputs (FNV-1a over names and texts), for audit records.
    pub fingerprint: String,
    /// Earliest date any provision starts: questions before it are refused.
    pub earliest: Option<NaiveDate>,
    /// Provisions in force per date segment and view: (segment start, law, enforced) —
    /// computed once at load so a question costs a binary search.
    pub(crate) segments: Vec<(NaiveDate, Vec<usize>, Vec<usize>)>,
}

type TomlDate = toml::value::Datetime;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSets {
    #[serde(default)]
    set: BTreeMap<String, RawSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    label: String,
    expr: Spanned<String>,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read by serde to accept the key; the engine has no use for the value"
    )]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub short: Option<String>,
    pub kind: Spanned<EventKind>,
    #[serde(default)]
    pub announced: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub effective: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub compliance: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub until: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub citation: Option<Spanned<String>>,
    #[serde(default)]
    pub fr_doc: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub provision: Vec<RawProvision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProvision {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub citation: Option<Spanned<String>>,
    #[serde(default)]
    pub when: Option<Spanned<String>>,
    #[serde(default)]
    pub effective: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub until: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub compliance: Option<Spanned<TomlDate>>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub replaces: Vec<String>,
    /// Scenarios only: this provision takes the place of the existing provision with the same
    /// id (all its versions). Without it, reusing an existing id in a scenario is an error.
    #[serde(default)]
    pub replace: bool,
    #[serde(default)]
    pub notes: Option<String>,
    /// Sources for this provision (documentation only; shown by `rules show` via the event).
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read by serde to accept the key; the engine has no use for the value"
    )]
    pub sources: Vec<String>,
    // type-specific
    #[serde(default)]
    pub eccn: Option<Spanned<String>>,
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub paragraphs: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub exceptions: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub policy: Option<Policy>,
    #[serde(default)]
    pub code: Option<Spanned<String>>,
    #[serde(default)]
    pub notify_days: Option<u32>,
    #[serde(default)]
    pub notify_when: Option<Spanned<String>>,
    #[serde(default)]
    pub overrides: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub targets: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub views: Option<Vec<View>>,
}

/// ECCN values a classify provision may assign, in order of strictness (last = strictest).
pub const ECCN_ORDER: &[&str] = &[
    "none", "3A090.c", "3A090.b", "4A090.b", "3A090", "4A090", "3A090.a", "4A090.a",
];

/// Rank of an ECCN value (higher = stricter); unknown values rank lowest.
pub fn eccn_rank(e: &str) -> usize {
    ECCN_ORDER.iter().position(|x| *x == e).unwrap_or(0)
}

pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub errors: &'a mut Vec<DataError>,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        line_of(self.text, offset)
    }

    fn err(&mut self, offset: usize, key: &str, msg: impl Into<String>) {
        let line = self.line(offset);
        self.errors.push(DataError::new(self.file, line, key, msg));
    }

    fn date(&mut self, d: &Option<Spanned<TomlDate>>, key: &str) -> Option<NaiveDate> {
        let d = d.as_ref()?;
        match toml_date(d.get_ref()) {
            Some(v) => Some(v),
            None => {
                self.err(d.span().start, key, "must be a plain date (YYYY-MM-DD)");
                None
            }
        }
    }
}

fn fnv1a(acc: u64, bytes: &[u8]) -> u64 {
    let mut h = acc;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Parses and checks a condition, reporting errors at the key's line.
pub(crate) fn compile(
    cx: &mut Ctx<'_>,
    text: &Spanned<String>,
    key: &str,
    sets: &NamedSets,
    countries: &Countries,
) -> Option<Node> {
    let groups = |g: &str| countries.has_group(g);
    let resolver = Resolver {
        sets,
        groups: &groups,
    };
    match expr::parse(text.get_ref()).and_then(|n| expr::check(n, &resolver, Ty::Bool)) {
        Ok(n) => Some(n),
        Err(e) => {
            cx.err(text.span().start, key, format!("invalid condition: {e}"));
            None
        }
    }
}

impl Rulebook {
    /// Loads the named sets file and every rule file, validating everything.
    pub fn load(
        sets_file: &RuleSource,
        files: &[RuleSource],
        countries: &Countries,
    ) -> Result<Rulebook, DataErrors> {
        let mut errors = Vec::new();
        let sets = load_sets(sets_file, countries, &mut errors);
        let mut events = Vec::new();
        let mut provisions = Vec::new();
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        hash = fnv1a(hash, sets_file.text.as_bytes());
        let mut sorted: Vec<&RuleSource> = files.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for f in sorted {
            hash = fnv1a(hash, f.name.as_bytes());
            hash = fnv1a(hash, f.text.as_bytes());
            match toml::from_str::<RawEvent>(&f.text) {
                Ok(raw) => {
                    let mut cx = Ctx {
                        file: &f.name,
                        text: &f.text,
                        errors: &mut errors,
                    };
                    if let Some((e, ps)) = build_event(&mut cx, raw, &sets, countries) {
                        events.push(e);
                        provisions.extend(ps);
                    }
                }
                Err(e) => {
                    let line = e.span().map(|s| line_of(&f.text, s.start)).unwrap_or(1);
                    let key = e
                        .message()
                        .split('`')
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    errors.push(DataError::new(
                        &f.name,
                        line,
                        key,
                        e.message().trim().to_string(),
                    ));
                }
            }
        }
        let book = assemble(
            events,
            provisions,
            sets,
            format!("{hash:016x}"),
            &mut errors,
        );
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(DataErrors(errors))
        }
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// All versions of a provision id.
    pub fn versions(&self, id: &str) -> Vec<&Provision> {
        self.provisions.iter().filter(|p| p.id == id).collect()
    }
}

fn load_sets(src: &RuleSource, countries: &Countries, errors: &mut Vec<DataError>) -> NamedSets {
    let mut out = NamedSets::new();
    let raw: RawSets = match toml::from_str(&src.text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| line_of(&src.text, s.start)).unwrap_or(1);
            errors.push(DataError::new(
                &src.name,
                line,
                "",
                e.message().trim().to_string(),
            ));
            return out;
        }
    };
    // Sets may refer to sets defined earlier in the file; resolve in file order.
    let mut order: Vec<(String, RawSet)> = raw.set.into_iter().collect();
    order.sort_by_key(|(_, s)| s.expr.span().start);
    for (name, s) in order {
        let groups = |g: &str| countries.has_group(g);
        let resolver = Resolver {
            sets: &out,
            groups: &groups,
        };
        match expr::parse(s.expr.get_ref()).and_then(|n| expr::check(n, &resolver, Ty::Set)) {
            Ok(n) => {
                out.insert(name, (s.label, n));
            }
            Err(e) => errors.push(DataError::new(
                &src.name,
                line_of(&src.text, s.expr.span().start),
                format!("set.{name}.expr"),
                format!("invalid set expression: {e}"),
            )),
        }
    }
    out
}

pub(crate) fn build_event(
    cx: &mut Ctx<'_>,
    raw: RawEvent,
    sets: &NamedSets,
    countries: &Countries,
) -> Option<(Event, Vec<Provision>)> {
    let before = cx.errors.len();
    let id = raw.id.get_ref().trim().to_string();
    if id.is_empty() {
        cx.err(raw.id.span().start, "id", "must not be empty");
    }
    let announced = cx.date(&raw.announced, "announced");
    let effective = cx.date(&raw.effective, "effective");
    let compliance = cx.date(&raw.compliance, "compliance");
    let until = cx.date(&raw.until, "until");
    let status = raw.status.unwrap_or_default();
    let citation = raw
        .citation
        .as_ref()
        .map(|c| c.get_ref().trim().to_string())
        .unwrap_or_default();
    let mut provisions = Vec::new();
    if raw.provision.is_empty() {
        cx.err(
            raw.id.span().start,
            "provision",
            "an event needs at least one [[provision]]",
        );
    }
    for (i, rp) in raw.provision.into_iter().enumerate() {
        let key = |k: &str| format!("provision[{i}].{k}");
        let pid = rp.id.get_ref().trim().to_string();
        let line = cx.line(rp.id.span().start);
        if pid.is_empty() || pid.contains(char::is_whitespace) {
            cx.err(
                rp.id.span().start,
                &key("id"),
                "must be non-empty without spaces",
            );
        }
        let p_effective = cx.date(&rp.effective, &key("effective")).or(effective);
        let p_until = cx.date(&rp.until, &key("until")).or(until);
        let p_compliance = cx.date(&rp.compliance, &key("compliance")).or(compliance);
        let p_status = rp.status.unwrap_or(status);
        let Some(p_effective) = p_effective else {
            cx.err(
                rp.id.span().start,
                &key("effective"),
                "no effective date (give one on the provision or the event)",
            );
            continue;
        };
        if let Some(u) = p_until {
            if u <= p_effective {
                cx.err(
                    rp.until.as_ref().or(raw.until.as_ref()).map(|s| s.span().start).unwrap_or(0),
                    &key("until"),
                    format!("`until` {u} must be after `effective` {p_effective} (windows are [effective, until))"),
                );
            }
        }
        let p_citation = rp
            .citation
            .as_ref()
            .map(|c| c.get_ref().trim().to_string())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| citation.clone());
        if p_citation.is_empty() {
            cx.err(
                rp.id.span().start,
                &key("citation"),
                "missing citation (on the provision or the event)",
            );
        }
        let when = match &rp.when {
            Some(w) => compile(cx, w, &key("when"), sets, countries),
            None => Some(Node {
                kind: crate::expr::Kind::Bool(true),
                span: (0, 0),
            }),
        };
        let ty = rp.ty.get_ref().as_str();
        let need_when = ty != "posture";
        if need_when && rp.when.is_none() {
            cx.err(rp.id.span().start, &key("when"), "missing condition");
        }
        let span0 = rp.ty.span().start;
        let kind = match ty {
            "classify" => match &rp.eccn {
                Some(e) if super::load::ECCN_ORDER.contains(&e.get_ref().as_str()) => {
                    Some(ProvisionKind::Classify {
                        eccn: e.get_ref().clone(),
                        stage: rp.stage.unwrap_or_default(),
                    })
                }
                Some(e) => {
                    cx.err(
                        e.span().start,
                        &key("eccn"),
                        format!(
                            "unknown ECCN value `{}` (expected one of {})",
                            e.get_ref(),
                            ECCN_ORDER.join(", ")
                        ),
                    );
                    None
                }
                None => {
                    cx.err(span0, &key("eccn"), "a classify provision needs `eccn`");
                    None
                }
            },
            "exclude" => match &rp.paragraphs {
                Some(p) => Some(ProvisionKind::Exclude {
                    paragraphs: p.get_ref().clone(),
                }),
                None => {
                    cx.err(
                        span0,
                        &key("paragraphs"),
                        "an exclude provision needs `paragraphs`",
                    );
                    None
                }
            },
            "require" => Some(ProvisionKind::Require {
                exceptions: rp
                    .exceptions
                    .as_ref()
                    .map(|e| e.get_ref().clone())
                    .unwrap_or_default(),
                policy: rp.policy,
            }),
            "prohibit" => Some(ProvisionKind::Prohibit),
            "escalate" => Some(ProvisionKind::Escalate),
            "exception" => match &rp.code {
                Some(c) => {
                    let notify_when = rp
                        .notify_when
                        .as_ref()
                        .and_then(|w| compile(cx, w, &key("notify_when"), sets, countries));
                    Some(ProvisionKind::Exception {
                        code: c.get_ref().clone(),
                        notify_days: rp.notify_days,
                        notify_when,
                    })
                }
                None => {
                    cx.err(span0, &key("code"), "an exception provision needs `code`");
                    None
                }
            },
            "review" => match rp.policy {
                Some(policy) => Some(ProvisionKind::Review {
                    policy,
                    overrides: rp
                        .overrides
                        .as_ref()
                        .map(|o| o.get_ref().clone())
                        .unwrap_or_default(),
                }),
                None => {
                    cx.err(span0, &key("policy"), "a review provision needs `policy`");
                    None
                }
            },
            "note" => Some(ProvisionKind::Note {
                severity: rp.severity.unwrap_or_default(),
            }),
            "posture" => match (&rp.targets, rp.status) {
                (Some(t), Some(s)) if s == Status::NotEnforced || s == Status::Suspended => {
                    Some(ProvisionKind::Posture {
                        targets: t.get_ref().clone(),
                        status: s,
                        views: rp.views.clone().unwrap_or_else(|| vec![View::Enforced]),
                    })
                }
                _ => {
                    cx.err(span0, &key("targets"), "a posture provision needs `targets` and `status` = \"not_enforced\" or \"suspended\"");
                    None
                }
            },
            other => {
                cx.err(span0, &key("type"), format!("unknown provision type `{other}` (classify, exclude, require, prohibit, escalate, exception, review, note, posture)"));
                None
            }
        };
        // A posture's own status names what it does to its targets; the provision itself is in force.
        let p_status = if ty == "posture" {
            Status::InForce
        } else {
            p_status
        };
        // Fields that do not belong to the type are errors, not silently ignored.
        let at = |o: Option<usize>| o.unwrap_or(span0);
        let stray: Vec<(&str, bool, usize)> = vec![
            (
                "eccn",
                rp.eccn.is_some() && ty != "classify",
                at(rp.eccn.as_ref().map(|x| x.span().start)),
            ),
            ("stage", rp.stage.is_some() && ty != "classify", span0),
            (
                "paragraphs",
                rp.paragraphs.is_some() && ty != "exclude",
                at(rp.paragraphs.as_ref().map(|x| x.span().start)),
            ),
            (
                "exceptions",
                rp.exceptions.is_some() && ty != "require",
                at(rp.exceptions.as_ref().map(|x| x.span().start)),
            ),
            (
                "policy",
                rp.policy.is_some() && ty != "require" && ty != "review",
                span0,
            ),
            (
                "code",
                rp.code.is_some() && ty != "exception",
                at(rp.code.as_ref().map(|x| x.span().start)),
            ),
            (
                "notify_days",
                rp.notify_days.is_some() && ty != "exception",
                span0,
            ),
            (
                "notify_when",
                rp.notify_when.is_some() && ty != "exception",
                at(rp.notify_when.as_ref().map(|x| x.span().start)),
            ),
            (
                "overrides",
                rp.overrides.is_some() && ty != "review",
                at(rp.overrides.as_ref().map(|x| x.span().start)),
            ),
            ("severity", rp.severity.is_some() && ty != "note", span0),
            (
                "targets",
                rp.targets.is_some() && ty != "posture",
                at(rp.targets.as_ref().map(|x| x.span().start)),
            ),
            ("views", rp.views.is_some() && ty != "posture", span0),
        ];
        for (field, bad, offset) in stray {
            if bad {
                cx.err(
                    offset,
                    &key(field),
                    format!("`{field}` does not apply to a `{ty}` provision"),
                );
            }
        }
        if let (Some(kind), Some(when)) = (kind, when) {
            provisions.push(Provision {
                id: pid,
                event: id.clone(),
                kind,
                summary: rp.summary.unwrap_or_else(|| raw.title.get_ref().clone()),
                citation: p_citation,
                effective: p_effective,
                until: p_until,
                end: p_until,
                end_enforced: p_until,
                compliance: p_compliance,
                status: p_status,
                when,
                when_text: rp
                    .when
                    .as_ref()
                    .map(|w| w.get_ref().clone())
                    .unwrap_or_else(|| "true".into()),
                replaces: rp.replaces,
                notes: rp.notes.unwrap_or_default(),
                file: cx.file.to_string(),
                line,
            });
        }
    }
    let event = Event {
        id,
        title: raw.title.get_ref().clone(),
        short: raw.short.clone(),
        kind: *raw.kind.get_ref(),
        announced,
        effective,
        citation,
        status,
        sources: raw.sources,
        notes: raw.notes.unwrap_or_default(),
        file: cx.file.to_string(),
    };
    let _ = raw.fr_doc;
    if cx.errors.len() > before {
        None
    } else {
        Some((event, provisions))
    }
}

/// Cross-file validation and version chaining.
pub(crate) fn assemble(
    events: Vec<Event>,
    mut provisions: Vec<Provision>,
    sets: NamedSets,
    fingerprint: String,
    errors: &mut Vec<DataError>,
) -> Rulebook {
    let mut seen_events: BTreeMap<&str, &Event> = BTreeMap::new();
    for e in &events {
        if let Some(prev) = seen_events.insert(&e.id, e) {
            errors.push(DataError::new(
                &e.file,
                1,
                "id",
                format!("event id `{}` is also used by {}", e.id, prev.file),
            ));
        }
    }
    // Version chaining among provisions that carry text (not proposals or withdrawn ones).
    let chains = |s: Status| matches!(s, Status::InForce | Status::NotEnforced | Status::Suspended);
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in provisions.iter().enumerate() {
        if chains(p.status) {
            by_id.entry(p.id.clone()).or_default().push(i);
        }
    }
    for idxs in by_id.values_mut() {
        idxs.sort_by_key(|i| provisions.get(*i).map(|p| p.effective));
        for w in idxs.windows(2) {
            let &[a, b] = w else { continue };
            let Some(next) = provisions.get(b) else {
                continue;
            };
            let (next_start, next_file, next_line) = (next.effective, next.file.clone(), next.line);
            let next_enforced = next.start(View::Enforced);
            let Some(pa) = provisions.get_mut(a) else {
                continue;
            };
            if pa.effective == next_start {
                errors.push(DataError::new(
                    &pa.file,
                    pa.line,
                    "id",
                    format!(
                        "provision `{}` has two versions starting {} (other at {}:{})",
                        pa.id, next_start, next_file, next_line
                    ),
                ));
            }
            match pa.until {
                Some(u) if u > next_start => errors.push(DataError::new(&pa.file, pa.line, "until", format!("versions of `{}` overlap: this one runs until {} but the next starts {} ({}:{})", pa.id, u, next_start, next_file, next_line))),
                _ => {
                    pa.end = Some(pa.until.map(|u| u.min(next_start)).unwrap_or(next_start));
                    pa.end_enforced = Some(pa.until.map(|u| u.min(next_enforced)).unwrap_or(next_enforced));
                }
            }
        }
    }
    let ids: BTreeSet<&str> = provisions.iter().map(|p| p.id.as_str()).collect();
    let event_ids: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let codes: BTreeSet<&str> = provisions
        .iter()
        .filter_map(|p| match &p.kind {
            ProvisionKind::Exception { code, .. } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    let mut problems = Vec::new();
    for p in &provisions {
        let mut check_ids = |list: &[String], key: &str, allow_events: bool| {
            for r in list {
                if !(ids.contains(r.as_str()) || (allow_events && event_ids.contains(r.as_str()))) {
                    problems.push(DataError::new(
                        &p.file,
                        p.line,
                        key,
                        format!("`{}` refers to unknown provision `{r}`", p.id),
                    ));
                }
            }
        };
        check_ids(&p.replaces, "replaces", false);
        check_ids(&p.when.applies_refs(), "when", false);
        match &p.kind {
            ProvisionKind::Exclude { paragraphs } => check_ids(paragraphs, "paragraphs", false),
            ProvisionKind::Review { overrides, .. } => check_ids(overrides, "overrides", false),
            ProvisionKind::Posture { targets, .. } => check_ids(targets, "targets", true),
            ProvisionKind::Require { exceptions, .. } => {
                for c in exceptions {
                    if !codes.contains(c.as_str()) {
                        problems.push(DataError::new(&p.file, p.line, "exceptions", format!("`{}` names licence exception `{c}`, which no exception provision defines", p.id)));
                    }
                }
            }
            _ => {}
        }
    }
    errors.extend(problems);
    let earliest = provisions.iter().map(|p| p.effective).min();
    let mut book = Rulebook {
        events,
        provisions,
        sets,
        fingerprint,
        earliest,
        segments: Vec::new(),
    };
    book.segments = book.compute_segments();
    book
}
