//! Number formatting for reasons people read: `2,368`, `2.91`, `5.92`, `26,900,000`.
//!
//! Evidence strings are part of the product ("TPP 2,368 < 2,400"), so the format is fixed
//! here once: thousands separators, at most two decimals (three below 1), no trailing zeros.

/// Formats a number with thousands separators and trimmed decimals.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    let decimals = if v.abs() >= 1.0 || v == 0.0 { 2 } else { 3 };
    let s = format!("{:.*}", decimals, v.abs());
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s.clone(), String::new()),
    };
    let mut grouped = String::new();
    let digits: Vec<char> = int_part.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    let sign = if v < 0.0 && (grouped != "0" || !frac_part.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac_part}")
    }
}

/// Formats with a unit when it has one: `4,000 GB/s`.
pub fn fmt_with_unit(v: f64, unit: &str) -> String {
    if unit.is_empty() {
        fmt_num(v)
    } else {
        format!("{} {}", fmt_num(v), unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_reasons_expect() {
        assert_eq!(fmt_num(2368.0), "2,368");
        assert_eq!(fmt_num(2.909), "2.91");
        assert_eq!(fmt_num(5.92), "5.92");
        assert_eq!(fmt_num(26_900_000.0), "26,900,000");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(-1234.5), "-1,234.5");
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(100.0), "100");
        assert_eq!(fmt_num(f64::NAN), "NaN");
    }
}
