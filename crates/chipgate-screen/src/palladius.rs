//! Russian spellings of Chinese names (the Palladius system: `Хуавэй`, `Шэньчжэнь`,
//! `Бэйцзин`) read back into pinyin (`huawei`, `shenzhen`, `beijing`), so that a Chinese party
//! written in Cyrillic — as Russian-language documents write it — meets the lists' pinyin and
//! brand names. Plain transliteration of `Хуавэй` gives `khuavei`, which no list writes.
//!
//! The reading is rule-based (initials by their Cyrillic letters, finals by their vowels, `н`
//! / `нь` for `ng` / `n`, `цз` / `ц` / `с` before front vowels for `j` / `q` / `x`) and kept
//! only when it splits into pinyin syllables, so ordinary Russian words (`Газпром`) get none.

use pinyin::ToPinyin;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Every toneless pinyin syllable (`hua`, `wei`, `zhuang`), from the readings of the CJK
/// Unified Ideographs block.
fn syllables() -> &'static HashSet<String> {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    S.get_or_init(|| {
        ('\u{4E00}'..='\u{9FFF}')
            .filter_map(|c| c.to_pinyin())
            .map(|p| p.plain().to_string())
            .filter(|p| p.is_ascii() && !p.is_empty())
            .collect()
    })
}

/// Whether `s` is a sequence of pinyin syllables.
fn is_pinyin(s: &str) -> bool {
    let n = s.len();
    if n == 0 || !s.is_ascii() {
        return false;
    }
    let set = syllables();
    let mut ok = vec![false; n + 1];
    ok[0] = true;
    for end in 1..=n {
        ok[end] = (end.saturating_sub(6)..end)
            .any(|start| ok[start] && s.get(start..end).is_some_and(|x| set.contains(x)));
    }
    ok[n]
}

fn is_vowel(c: char) -> bool {
    "аеёиоуыэюя".contains(c)
}

fn is_front(c: Option<&char>) -> bool {
    matches!(c, Some('и' | 'я' | 'е' | 'ё' | 'ю'))
}

/// The pinyin a Cyrillic word spells in the Palladius system, when it spells one.
pub fn pinyin_of(word: &str) -> Option<String> {
    // Most words screened are Latin: leave them before any allocation.
    if !word
        .chars()
        .next()
        .is_some_and(|ch| ('\u{0400}'..='\u{04FF}').contains(&ch))
    {
        return None;
    }
    let c: Vec<char> = word.to_lowercase().chars().collect();
    if c.is_empty() || c.len() > 40 || !c.iter().all(|&ch| ('а'..='я').contains(&ch) || ch == 'ё')
    {
        return None;
    }
    let mut out = String::with_capacity(c.len() + 4);
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        let next = c.get(i + 1);
        let after = c.get(i + 2);
        let prev_vowel_or_start = i == 0 || c.get(i - 1).is_some_and(|&p| is_vowel(p) || p == 'ь');
        let palatal = out.ends_with('j') || out.ends_with('q') || out.ends_with('x');
        let mut step = 1;
        match ch {
            'ч' if next == Some(&'ж') => {
                out.push_str("zh");
                step = 2;
            }
            'ц' if next == Some(&'з') => {
                out.push(if is_front(after) { 'j' } else { 'z' });
                step = 2;
            }
            'ц' => out.push(if is_front(next) { 'q' } else { 'c' }),
            'с' => out.push(if is_front(next) { 'x' } else { 's' }),
            'ч' => out.push_str("ch"),
            'ш' => out.push_str("sh"),
            'ж' => out.push('r'),
            'х' => out.push('h'),
            'г' => out.push('g'),
            'к' => out.push('k'),
            'б' => out.push('b'),
            'п' => out.push('p'),
            'м' => out.push('m'),
            'ф' => out.push('f'),
            'д' => out.push('d'),
            'т' => out.push('t'),
            'л' => out.push('l'),
            'в' => out.push('w'),
            'н' if next == Some(&'ь') => {
                out.push('n');
                step = 2;
            }
            'н' if next.is_some_and(|&n| is_vowel(n)) => out.push('n'),
            'н' => out.push_str("ng"),
            'й' | 'ы' => out.push('i'),
            'ь' => {}
            'э' => out.push('e'),
            'а' => out.push('a'),
            'о' => out.push('o'),
            // ун is the final ong (`Чжунсин` zhongxing), unless н begins the next syllable.
            'у' if next == Some(&'н') && !after.is_some_and(|&a| is_vowel(a) || a == 'ь') => {
                out.push_str(if i == 0 { "wo" } else { "o" });
            }
            'у' if i == 0 => out.push_str("wu"),
            'у' => out.push('u'),
            'и' if prev_vowel_or_start => out.push_str("yi"),
            'и' => out.push('i'),
            'я' if prev_vowel_or_start => out.push_str("ya"),
            'я' => out.push_str("ia"),
            'е' | 'ё' if prev_vowel_or_start => out.push_str("ye"),
            'е' | 'ё' => out.push_str("ie"),
            'ю' => {
                // юй ü, юэ üe, юань üan, юнь ün, юн iong, ю iu / you.
                let (head, skip) = match (next, after) {
                    (Some('й'), _) => ("u", 2),
                    (Some('э'), _) => ("ue", 2),
                    (Some('а'), _) => ("u", 1),
                    (Some('н'), Some('ь')) => ("u", 1),
                    (Some('н'), _) => ("io", 1),
                    _ => ("iu", 1),
                };
                if palatal || !prev_vowel_or_start {
                    out.push_str(head);
                } else {
                    out.push('y');
                    out.push_str(match head {
                        "iu" => "ou",
                        "io" => "o",
                        h => h,
                    });
                }
                step = skip;
            }
            _ => return None,
        }
        i += step;
    }
    is_pinyin(&out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::pinyin_of;

    #[test]
    fn chinese_names_in_russian_read_as_pinyin() {
        for (ru, py) in [
            ("Хуавэй", "huawei"),
            ("Шэньчжэнь", "shenzhen"),
            ("Бэйцзин", "beijing"),
            ("Ханчжоу", "hangzhou"),
            ("Сяоми", "xiaomi"),
            ("Тэнсюнь", "tengxun"),
            ("Цинхуа", "qinghua"),
            ("Чжунсин", "zhongxing"),
            ("Хайкан", "haikang"),
            ("Юань", "yuan"),
            ("Сюн", "xiong"),
            ("Лю", "liu"),
        ] {
            assert_eq!(pinyin_of(ru).as_deref(), Some(py), "{ru}");
        }
    }

    #[test]
    fn russian_words_have_no_pinyin_reading() {
        for ru in ["Газпром", "Ростех", "Москва", "Huawei", "", "Хуавэй1"]
        {
            assert_eq!(pinyin_of(ru), None, "{ru}");
        }
    }
}
