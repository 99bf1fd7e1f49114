//! Builds the pictures' inputs from the engine: the threshold map (regions computed by running
//! the real classifier over the TPP × PD plane, chips coloured by decision) and the decision
//! timeline (segments and the rule events that opened them). Rendering is chipgate-plot's job.

use chipgate_core::license::{Decision, Question};
use chipgate_core::metrics::compute;
use chipgate_core::rules::View;
use chipgate_core::spec::{ChipSpec, Throughput};
use chipgate_core::timeline::Segment;
use chipgate_core::Engine;
use chipgate_plot::{
    AxisScale, CategoryStyle, ChipPoint, EventKind, EventMark, Lane, MapInput, TimelineInput,
};
use chrono::NaiveDate;
use std::sync::Arc;

fn style(key: &str, label: &str, colour: &str) -> CategoryStyle {
    CategoryStyle {
        key: key.into(),
        label: label.into(),
        colour: colour.into(),
    }
}

/// Colours for decisions (traffic lights, colour-blind-safe shades).
pub fn decision_styles() -> Vec<CategoryStyle> {
    vec![
        style("NLR", "no licence required", "#1b9e77"),
        style("LICENSE_EXCEPTION", "licence exception", "#e6ab02"),
        style("ESCALATE", "BIS authorization needed", "#e7298a"),
        style("LICENSE_REQUIRED", "licence required", "#d95f02"),
        style("PROHIBITED", "prohibited", "#222222"),
        style(
            "UNDETERMINED",
            "licence required (facts missing)",
            "#7570b3",
        ),
    ]
}

fn eccn_styles() -> Vec<CategoryStyle> {
    vec![
        style("3A090.a", "3A090.a", "#d95f02"),
        style("3A090", "3A090 (2022 text)", "#d95f02"),
        style("3A090.b", "3A090.b", "#e6ab02"),
        style("none", "not in 3A090", "#1b9e77"),
    ]
}

fn region_styles() -> Vec<CategoryStyle> {
    vec![
        style("3A090.a", "3A090.a", "#f4cccc"),
        style("3A090", "3A090 (2022: if I/O ≥ 600 GB/s)", "#f4cccc"),
        style("3A090.b", "3A090.b (NAC/ACA-eligible)", "#fce8b2"),
        style("none", "not controlled by 3A090", "#e8f5e9"),
    ]
}

/// A datacenter IC with exactly this TPP and PD (8-bit throughput; I/O at the 2022 line).
fn probe(tpp: f64, pd: f64) -> ChipSpec {
    ChipSpec {
        name: "probe".into(),
        vendor: "probe".into(),
        datacenter: Some(true),
        throughput: vec![Throughput {
            bits: 8,
            tops: tpp / 8.0,
            format: None,
            source: None,
        }],
        die_area_mm2: Some(tpp / pd.max(1e-9)),
        interconnect_bw_gbs: Some(600.0),
        ..Default::default()
    }
}

/// The category a chip gets on the map: its decision for `to`, or its ECCN.
fn category(
    engine: &Engine,
    spec: &ChipSpec,
    date: NaiveDate,
    view: View,
    to: Option<&str>,
) -> String {
    match to {
        Some(cc) => {
            let q = Question {
                spec: spec.clone(),
                destination: engine.countries.destination("to", cc).ok(),
                buyer_hq: engine.countries.destination("to", cc).ok().map(|d| d.code),
                ..Default::default()
            };
            match engine.check_brief(&q, date, view) {
                Ok(d) if !d.determined && d.decision != Decision::Nlr => "UNDETERMINED".into(),
                Ok(d) => d.decision.name().into(),
                Err(_) => "UNDETERMINED".into(),
            }
        }
        None => engine
            .classify(spec, date, view)
            .map(|c| c.eccn)
            .unwrap_or_else(|_| "none".into()),
    }
}

/// The threshold map for `chips` (the catalog when empty).
pub fn map_input(
    engine: Arc<Engine>,
    chips: &[ChipSpec],
    date: NaiveDate,
    view: View,
    to: Option<&str>,
) -> MapInput {
    let chips: Vec<ChipSpec> = if chips.is_empty() {
        engine.catalog.chips.clone()
    } else {
        chips.to_vec()
    };
    let mut points = Vec::new();
    let mut unknown_area = Vec::new();
    let mut missing = Vec::new();
    for c in &chips {
        let m = compute(c);
        let short = c.aliases.first().cloned().unwrap_or_else(|| c.name.clone());
        let Some(tpp) = m.tpp else {
            missing.push(short);
            continue;
        };
        let point = ChipPoint {
            label: short,
            tpp,
            pd: m.pd,
            category: category(&engine, c, date, view, to),
        };
        if m.pd.is_some() {
            points.push(point);
        } else {
            unknown_area.push(point);
        }
    }
    let mut notes = vec![format!(
        "Regions are computed from chipgate's rule data for a datacenter IC as of {date} ({} view); non-datacenter ICs are outside 3A090.a.2/.b below TPP 4,800.",
        view.describe()
    )];
    let era_2022 = engine
        .classify(&probe(5000.0, 1.0), date, view)
        .map(|c| c.eccn == "3A090")
        .unwrap_or(false);
    if era_2022 {
        notes.push("2022 text: an IC is caught only if its chip-to-chip I/O is also ≥ 600 GB/s; the map shades as if it were.".into());
    }
    if !missing.is_empty() {
        notes.push(format!(
            "TPP not published (not shown): {}",
            missing.join(", ")
        ));
    }
    let title = match to {
        Some(cc) => format!(
            "3A090 threshold map as of {date} — decisions for {} (buyer headquartered there)",
            engine.countries.name(cc)
        ),
        None => format!("3A090 threshold map as of {date}"),
    };
    let categories = if to.is_some() {
        decision_styles()
    } else {
        eccn_styles()
    };
    let e = Arc::clone(&engine);
    MapInput {
        title,
        subtitle: Some(format!(
            "view: {}{}",
            view.describe(),
            if engine.scenarios.is_empty() {
                String::new()
            } else {
                format!("; scenario: {}", engine.scenarios.join(", "))
            }
        )),
        regions: region_styles(),
        classify: Box::new(move |tpp, pd| {
            e.classify(&probe(tpp, pd), date, view)
                .map(|c| c.eccn)
                .unwrap_or_else(|_| "none".into())
        }),
        tpp_range: (300.0, 100_000.0),
        pd_range: (0.0, 22.0),
        pd_scale: AxisScale::Linear,
        points,
        unknown_area,
        categories,
        notes,
    }
}

fn event_kind(kind: &str) -> EventKind {
    match kind {
        "letter" => EventKind::Letter,
        "guidance" | "baseline" => EventKind::Guidance,
        "reversal" => EventKind::Reversal,
        _ => EventKind::Rule,
    }
}

/// The decision-timeline picture for one or more lanes of segments.
pub fn timeline_input(
    title: String,
    lanes: Vec<(String, Vec<Segment>)>,
    start: NaiveDate,
    end: NaiveDate,
) -> TimelineInput {
    let mut events: Vec<EventMark> = Vec::new();
    let mut out_lanes = Vec::new();
    for (label, segs) in lanes {
        let mut segments: Vec<chipgate_plot::Segment> = Vec::new();
        for s in &segs {
            let until = s.until.unwrap_or(end).min(end);
            let words = match s.decision {
                Decision::Nlr => "no licence required",
                Decision::LicenseException => "licence exception",
                Decision::Escalate => "BIS authorization needed",
                Decision::LicenseRequired => "licence required",
                Decision::Prohibited => "prohibited",
            };
            let label = match s.review_policy {
                Some(p) => format!("{words} ({})", p.describe()),
                None => words.to_string(),
            };
            let category = if !s.determined && s.decision != Decision::Nlr {
                "UNDETERMINED".to_string()
            } else {
                s.decision.name().to_string()
            };
            // Adjacent spans with the same answer are one band; their events stay as markers.
            match segments.last_mut() {
                Some(last)
                    if last.category == category
                        && last.label == label
                        && last.end == s.from.max(start) =>
                {
                    last.end = until
                }
                _ => segments.push(chipgate_plot::Segment {
                    start: s.from.max(start),
                    end: until,
                    category,
                    label,
                }),
            }
            if s.from > start {
                for e in &s.changed_by {
                    if !events
                        .iter()
                        .any(|m| m.date == s.from && m.kind == event_kind(&e.kind))
                    {
                        events.push(EventMark {
                            date: s.from,
                            label: format!(
                                "{} {}",
                                s.from,
                                e.short.clone().unwrap_or_else(|| short_title(&e.title))
                            ),
                            kind: event_kind(&e.kind),
                        });
                    }
                }
            }
        }
        out_lanes.push(Lane { label, segments });
    }
    TimelineInput {
        title,
        subtitle: None,
        start,
        end,
        lanes: out_lanes,
        events,
        categories: decision_styles(),
        notes: vec![
            "Bands show chipgate's decision; markers show the rule events that changed it.".into(),
        ],
    }
}

/// The first words of a title, for events without a `short` label.
fn short_title(title: &str) -> String {
    let words: Vec<&str> = title
        .split([' ', ',', ':', '('])
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    words.join(" ")
}

/// The pictures an order-book report embeds: the threshold map coloured for the book's
/// largest destination (by value), and the timeline of the chip whose orders move most (by
/// flipped value when any flip, else by value) to that destination, one lane per engine.
/// `engines` is the baseline first, then one engine per scenario (labelled by its id).
pub fn report_pictures(
    engines: &[Engine],
    rep: &crate::orders::Report,
    as_of: Option<NaiveDate>,
    view: View,
) -> anyhow::Result<crate::orders::Pictures> {
    use crate::orders::report::GroupRow;
    use chipgate_plot::{render_map, render_timeline, Format};
    let by_value = |rows: &[GroupRow], flipped: bool| -> Option<String> {
        rows.iter()
            .max_by(|x, y| {
                let (vx, vy) = if flipped {
                    (x.flipped.value_usd, y.flipped.value_usd)
                } else {
                    (x.total.value_usd, y.total.value_usd)
                };
                vx.total_cmp(&vy)
            })
            .map(|r| r.group.clone())
    };
    let base = engines
        .first()
        .ok_or_else(|| anyhow::anyhow!("no rulebook to draw"))?;
    let today = chrono::Utc::now().date_naive();
    let date = as_of.unwrap_or(today);
    let dest = by_value(&rep.by_destination, false)
        .and_then(|d| base.countries.destination("to", &d).ok())
        .map(|d| d.code);
    let map = render_map(
        &map_input(Arc::new(base.clone()), &[], date, view, dest.as_deref()),
        Format::Svg,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut pics = crate::orders::Pictures {
        threshold_map: Some(String::from_utf8_lossy(&map).into_owned()),
        ..Default::default()
    };
    let chip = by_value(&rep.by_chip, rep.flips_total > 0)
        .and_then(|c| base.catalog.find(&c).ok().cloned());
    if let (Some(spec), Some(dest)) = (chip, dest) {
        let start = crate::question::parse_date("from", "2022-06-01")?;
        let mut lanes = Vec::new();
        for (i, e) in engines.iter().enumerate() {
            let label = if i == 0 {
                "baseline".to_string()
            } else {
                e.scenarios
                    .last()
                    .cloned()
                    .unwrap_or_else(|| format!("scenario {i}"))
            };
            let req = crate::request::TimelineRequest {
                check: crate::request::CheckRequest {
                    spec: Some(serde_json::to_value(&spec)?),
                    to: dest.clone(),
                    buyer_hq: Some(dest.clone()),
                    no_screen: Some(true),
                    view: Some(view.name().to_string()),
                    ..Default::default()
                },
                from: Some(start.to_string()),
                to_date: Some(today.to_string()),
            };
            let t = crate::answer::timeline(e, &crate::screening::PartyContext::default(), &req)?;
            lanes.push((label, t.segments));
        }
        let title = format!(
            "{} to {} (buyer headquartered there): baseline and scenarios",
            spec.display_name(),
            base.countries.name(&dest)
        );
        let t = render_timeline(&timeline_input(title, lanes, start, today), Format::Svg)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        pics.timeline = Some(String::from_utf8_lossy(&t).into_owned());
    }
    Ok(pics)
}
