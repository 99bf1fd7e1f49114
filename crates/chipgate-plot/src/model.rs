//! Plain input and output data types.
//!
//! The binary computes every fact (classification, licence decision) and
//! hands this crate plain, serde-friendly values; nothing here depends on the
//! rule engine. The only behaviour the caller injects is the map classifier
//! closure, which is skipped by serde.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Output format; the binary usually picks it from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Scalable Vector Graphics (UTF-8 text).
    Svg,
    /// Portable Network Graphics, rasterised with resvg and the embedded font.
    Png,
}

impl Format {
    /// Pick a format from a file name's extension (`.svg` / `.png`, any case).
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }
}

/// Canvas size and PNG pixel ratio.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// Canvas width in CSS pixels.
    pub width: u32,
    /// Canvas height in CSS pixels. For timelines this is a minimum: the
    /// canvas grows to fit lanes, event rows and the legend.
    pub height: u32,
    /// PNG pixels per CSS pixel (1.0 = 1200×800 PNG for the default map; 2.0
    /// for crisp print). Ignored for SVG.
    pub scale: f32,
}

impl RenderOptions {
    /// Default map canvas: 1200×800, PNG at 1×.
    pub const MAP_DEFAULT: RenderOptions = RenderOptions {
        width: 1200,
        height: 800,
        scale: 1.0,
    };
    /// Default timeline canvas: 1200 wide, at least 200 high, PNG at 1×.
    pub const TIMELINE_DEFAULT: RenderOptions = RenderOptions {
        width: 1200,
        height: 200,
        scale: 1.0,
    };
}

/// Fill colour and legend label for a key (region key or decision key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryStyle {
    /// Key as returned by the classifier / stored in points and segments,
    /// e.g. "3A090.a" or "LICENSE_REQUIRED".
    pub key: String,
    /// Human-readable legend text.
    pub label: String,
    /// CSS colour, `#rrggbb` recommended. Unparseable colours fall back to grey.
    pub colour: String,
}

/// Legend entry and fill for a shaded region of the threshold map. Same shape
/// as [`CategoryStyle`]; use muted colours.
pub type RegionStyle = CategoryStyle;

/// Classifier of a point of the (TPP, performance density) plane: returns a
/// region key. The binary passes a closure over the real rule engine.
pub type Classifier = Box<dyn Fn(f64, f64) -> String + Send + Sync>;

/// Scale of the performance-density axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AxisScale {
    /// Linear axis (default); the range may start at 0.
    #[default]
    Linear,
    /// Logarithmic axis; the range must be strictly positive.
    Log,
}

/// One chip to plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChipPoint {
    /// Chip name as shown, e.g. "H100 SXM5 80GB".
    pub label: String,
    /// Total processing performance (TPP).
    pub tpp: f64,
    /// Performance density (TPP / die area in mm²); `None` if die area unknown.
    pub pd: Option<f64>,
    /// Decision key, e.g. "NLR", "LICENSE_REQUIRED"; looked up in
    /// [`MapInput::categories`].
    pub category: String,
}

/// Everything needed to draw the 3A090 threshold map.
#[derive(Serialize, Deserialize)]
pub struct MapInput {
    /// e.g. "3A090 threshold map as of 2025-06-01 (view: as enforced), decisions for CN".
    pub title: String,
    /// Optional second heading line.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Legend entries and fills for the keys `classify` returns.
    pub regions: Vec<RegionStyle>,
    /// Region of a (TPP, PD) point for a datacenter IC. Not serialised; a
    /// deserialised input classifies everything as "" (unshaded).
    #[serde(skip, default = "unshaded")]
    pub classify: Classifier,
    /// X range (TPP), log scale; both ends must be > 0.
    pub tpp_range: (f64, f64),
    /// Y range (performance density).
    pub pd_range: (f64, f64),
    /// Y axis scale.
    #[serde(default)]
    pub pd_scale: AxisScale,
    /// Chips with known TPP and PD. A point whose `pd` is `None` or not
    /// finite is moved to the unknown-area strip.
    pub points: Vec<ChipPoint>,
    /// Chips whose TPP is known but die area is not: drawn on a strip below the
    /// plot at their TPP, never placed in the plane.
    #[serde(default)]
    pub unknown_area: Vec<ChipPoint>,
    /// Point colours and legend labels by decision key.
    pub categories: Vec<CategoryStyle>,
    /// Footnotes printed under the chart.
    #[serde(default)]
    pub notes: Vec<String>,
}

fn unshaded() -> Classifier {
    Box::new(|_, _| String::new())
}

impl std::fmt::Debug for MapInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MapInput")
            .field("title", &self.title)
            .field("subtitle", &self.subtitle)
            .field("regions", &self.regions)
            .field("tpp_range", &self.tpp_range)
            .field("pd_range", &self.pd_range)
            .field("pd_scale", &self.pd_scale)
            .field("points", &self.points)
            .field("unknown_area", &self.unknown_area)
            .field("categories", &self.categories)
            .field("notes", &self.notes)
            .finish_non_exhaustive()
    }
}

/// Where a chip ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placement {
    /// In the (TPP, PD) plane.
    Plot,
    /// On the "die area unknown" strip, at its TPP.
    UnknownAreaStrip,
    /// Not drawn (invalid or out-of-range value); a footnote says so.
    Omitted,
}

/// Axis-aligned rectangle in canvas pixels (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// True when the interiors intersect (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    /// Rectangle grown by `d` on every side.
    pub fn inflate(&self, d: f64) -> Rect {
        Rect {
            x: self.x - d,
            y: self.y - d,
            w: self.w + 2.0 * d,
            h: self.h + 2.0 * d,
        }
    }
    /// True if `o` lies entirely inside `self`.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }
}

/// Geometry of one drawn marker (one or several chips sharing a point).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedPoint {
    /// The chips drawn by this marker, in input order.
    pub chips: Vec<String>,
    /// TPP of the marker.
    pub tpp: f64,
    /// PD of the marker (`None` on the strip).
    pub pd: Option<f64>,
    /// Decision key.
    pub category: String,
    /// Region key `classify(tpp, pd)` for plane points; `None` otherwise.
    pub region: Option<String>,
    /// Where it went.
    pub placement: Placement,
    /// Marker centre, canvas pixels (NaN for omitted points).
    pub x: f64,
    /// Marker centre, canvas pixels (NaN for omitted points).
    pub y: f64,
    /// Label lines as drawn (empty if the label could not be placed).
    pub label_lines: Vec<String>,
    /// Label box, canvas pixels; `None` if omitted or unplaceable.
    pub label_box: Option<Rect>,
    /// Leader line from marker edge to label box, when the label is not adjacent.
    pub leader: Option<((f64, f64), (f64, f64))>,
    /// Why the point or label was omitted, if it was.
    pub note: Option<String>,
}

/// Kind of rule event on a timeline; sets the marker colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A published rule (IFR, final rule).
    Rule,
    /// An "is-informed" letter to a company.
    Letter,
    /// Guidance, FAQ, announcement.
    Guidance,
    /// A rescission or reversal.
    Reversal,
}

/// A rule event to annotate with a vertical marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMark {
    /// Date of the event.
    pub date: NaiveDate,
    /// Short label, e.g. "H20 letter". The date is prefixed when drawn unless
    /// the label already starts with it.
    pub label: String,
    /// Kind of event.
    pub kind: EventKind,
}

/// A period with one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// First day.
    pub start: NaiveDate,
    /// Day after the last day (exclusive).
    pub end: NaiveDate,
    /// Decision key, looked up in [`TimelineInput::categories`].
    pub category: String,
    /// Text drawn inside the band when it fits, e.g. "licence required (presumption of denial)".
    pub label: String,
}

/// One row of the timeline, e.g. "H20 → CN".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// Lane heading drawn on the left.
    pub label: String,
    /// Periods, in any order; later segments paint over earlier ones.
    pub segments: Vec<Segment>,
}

/// Everything needed to draw a decision timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineInput {
    /// Heading.
    pub title: String,
    /// Optional second heading line.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// First day shown.
    pub start: NaiveDate,
    /// Last day shown (exclusive).
    pub end: NaiveDate,
    /// One or more lanes.
    pub lanes: Vec<Lane>,
    /// Rule events to annotate.
    #[serde(default)]
    pub events: Vec<EventMark>,
    /// Band colours and legend labels by decision key.
    pub categories: Vec<CategoryStyle>,
    /// Footnotes printed under the chart.
    #[serde(default)]
    pub notes: Vec<String>,
}
