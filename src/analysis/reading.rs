//! The Russian reading of a romanized word: Latin letters read back into Cyrillic by the
//! romanizations Russian names are written in (BGN/PCGN, ICAO passports, the press: Zhukov,
//! Shcherbakov, Aleksey / Aleksei, Mariya / Mariia). One reading per word, longest letter
//! group first; where romanizations disagree it picks the commoner Cyrillic letter. The
//! reading is only ever stemmed ([`super::stem`]) so that a romanized name meets the Russian
//! inflections its key cannot reach (Ufa: its key is too short to strip, its reading уфа
//! stems to уф, the stem of Уфы and Уфе).

/// Letter groups and their Cyrillic, longest first within each starting letter.
const GROUPS: &[(&str, &str)] = &[
    ("shch", "щ"),
    ("iya", "ия"),
    ("iia", "ия"),
    ("iiu", "ию"),
    ("iye", "ие"),
    ("iyu", "ию"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ia", "ия"),
    ("iu", "ю"),
    ("iy", "ий"),
    ("yy", "ый"),
    ("ii", "ий"),
];

/// The Cyrillic of one Latin letter (`y` is read apart: [`reading`]).
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        'a' => "а",
        'b' => "б",
        'c' => "ц",
        'd' => "д",
        'e' => "е",
        'f' => "ф",
        'g' => "г",
        'h' => "х",
        'i' => "и",
        'j' => "й",
        'k' => "к",
        'l' => "л",
        'm' => "м",
        'n' => "н",
        'o' => "о",
        'p' => "п",
        'q' => "к",
        'r' => "р",
        's' => "с",
        't' => "т",
        'u' => "у",
        'v' => "в",
        'w' => "в",
        'x' => "кс",
        'z' => "з",
        _ => return None,
    })
}

/// Writes the Russian reading of `word` (lowercase ASCII letters) into `out`; false, and
/// `out` unspecified, when the word holds anything else. A `y` after a vowel is й (Sergey),
/// otherwise ы (Krym); `ya`, `yu`, `ye`, `yo` are я, ю, е, е; `ia` is ия (Mariia, Maria:
/// мария).
///
/// ```
/// use kazsearch::analysis::reading::reading;
/// let mut out = String::new();
/// assert!(reading("shcherbakov", &mut out));
/// assert_eq!(out, "щербаков");
/// assert!(!reading("тоқаев", &mut out));
/// ```
pub fn reading(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let mut rest = word;
    let mut after_vowel = false;
    'outer: while let Some(c) = rest.chars().next() {
        for (latin, cyr) in GROUPS {
            if let Some(r) = rest.strip_prefix(latin) {
                out.push_str(cyr);
                after_vowel = !matches!(*latin, "zh" | "kh" | "ts" | "ch" | "sh" | "shch");
                rest = r;
                continue 'outer;
            }
        }
        rest = &rest[1..];
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
        if c == 'y' {
            out.push(if after_vowel { 'й' } else { 'ы' });
        } else if let Some(cyr) = letter(c) {
            out.push_str(cyr);
        }
        after_vowel = vowel;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanized_russian_names_read_back() {
        let cases = [
            ("ufa", "уфа"),
            ("zhukov", "жуков"),
            ("krym", "крым"),
            ("sibir", "сибир"),
            ("aleksey", "алексей"),
            ("aleksei", "алексеи"),
            ("dmitriy", "дмитрий"),
            ("dmitrii", "дмитрий"),
            ("mariya", "мария"),
            ("mariia", "мария"),
            ("maria", "мария"),
            ("yuriy", "юрий"),
            ("khabarovsk", "хабаровск"),
            ("tsvetkov", "цветков"),
            ("chelyabinsk", "челябинск"),
            ("yekaterinburg", "екатеринбург"),
            ("moskva", "москва"),
            ("alabama", "алабама"),
        ];
        let mut out = String::new();
        for (latin, want) in cases {
            assert!(reading(latin, &mut out), "{latin}");
            assert_eq!(out, want, "{latin}");
        }
        for bad in ["", "Ufa", "uf-a", "уфа", "a1"] {
            assert!(!reading(bad, &mut out), "{bad}");
        }
    }
}
