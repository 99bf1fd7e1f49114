//! Number formatting for report tables: `1,204`, `$16.0 bn`, `$350.2 m`, `$12,400`.

/// Thousands separators.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Units (whole numbers shown without decimals).
pub fn units(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        count(v as u64)
    } else {
        format!("{v:.1}")
    }
}

/// US dollars, compact.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        // Inputs are bounded so totals stay finite; never print `inf` or `NaN` regardless.
        return "n/a".into();
    }
    let a = v.abs();
    if a >= 1e12 {
        format!("${:.1} tn", v / 1e12)
    } else if a >= 1e9 {
        format!("${:.1} bn", v / 1e9)
    } else if a >= 1e6 {
        format!("${:.1} m", v / 1e6)
    } else {
        format!("${}", count(v.round() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(count(1204), "1,204");
        assert_eq!(usd(16.04e9), "$16.0 bn");
        assert_eq!(usd(350_200_000.0), "$350.2 m");
        assert_eq!(usd(12_400.0), "$12,400");
    }
}
