//! Input types are plain serde data (the classifier closure excepted).

#[path = "common/fixtures.rs"]
mod fixtures;

use chipgate_plot::{map_coordinates, render_map, Format, MapInput, TimelineInput};

#[test]
fn timeline_input_round_trips() {
    let t = fixtures::h20_timeline(fixtures::d(2026, 11, 28));
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains("\"kind\":\"letter\""));
    let back: TimelineInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
}

#[test]
fn map_input_deserialises_with_an_unshaded_classifier() {
    let json = serde_json::to_string(&fixtures::catalog_map()).unwrap();
    assert!(!json.contains("classify"));
    let back: MapInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back.points.len(), fixtures::catalog_map().points.len());
    assert_eq!((back.classify)(15832.0, 19.45), "");
    // Still renders; regions are simply unshaded.
    assert!(render_map(&back, Format::Svg).is_ok());
    assert!(map_coordinates(&back, 1200, 800).iter().all(|p| p
        .region
        .as_deref()
        .unwrap_or("")
        .is_empty()));
}
