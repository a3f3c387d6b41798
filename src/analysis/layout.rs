//! Wrong-keyboard-layout readings of a query: "Nj0ftd" typed on the US layout was meant as
//! "Тоқаев" on the Kazakh layout, "Rfhgjd" as "Карпов" on the Russian one, and "ещлфнум"
//! typed on a Cyrillic layout was meant as "tokayev".
//!
//! Why: people in Kazakhstan switch between three layouts all day, and a query typed in the
//! wrong one finds nothing. [`candidates`] re-types the query key by key so the search can try
//! the readings as extra, lower-ranked queries.
//!
//! Tables: the standard Windows layouts. Russian is ЙЦУКЕН, including the letters on the
//! punctuation keys (`[`→х `]`→ъ `;`→ж `'`→э `,`→б `.`→ю `` ` ``→ё) and the shifted number row
//! (`@`→" `#`→№ `$`→; `^`→: `&`→?). Kazakh (KBDKAZ) has the same letter rows and puts its nine
//! letters on the number row: 2 ә, 3 і, 4 ң, 5 ғ, 8 ү, 9 ұ, 0 қ, `-` ө, `=` һ (Shift gives the
//! capitals: `@`→Ә, `)`→Қ), with `1`→" `6`→, `7`→. and `` ` ``→( (this last key is from memory,
//! not checked against the data). The Kazakh hyphen key gives ө, so `-` reads as ө only
//! before a lower-case letter ("F0n-,t" = Ақтөбе, "Y9h-C9knfy" = Нұр-Сұлтан).
//!
//! The reverse reading (Cyrillic → US) maps the letters of both layouts and leaves ASCII
//! punctuation as typed, since in Cyrillic text it is far more often real punctuation than a
//! mistyped key.

/// Which keyboard layout a conversion assumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Russian ЙЦУКЕН (Windows "Russian").
    Russian,
    /// Kazakh (Windows "Kazakh", KBDKAZ): ЙЦУКЕН letters plus Kazakh letters on the number row.
    Kazakh,
    /// US QWERTY.
    English,
}

/// US keys shared by the Russian and Kazakh layouts (the letter rows): (US key, Cyrillic).
const LETTER_ROWS: &[(char, char)] = &[
    ('q', 'й'),
    ('w', 'ц'),
    ('e', 'у'),
    ('r', 'к'),
    ('t', 'е'),
    ('y', 'н'),
    ('u', 'г'),
    ('i', 'ш'),
    ('o', 'щ'),
    ('p', 'з'),
    ('[', 'х'),
    (']', 'ъ'),
    ('a', 'ф'),
    ('s', 'ы'),
    ('d', 'в'),
    ('f', 'а'),
    ('g', 'п'),
    ('h', 'р'),
    ('j', 'о'),
    ('k', 'л'),
    ('l', 'д'),
    (';', 'ж'),
    ('\'', 'э'),
    ('z', 'я'),
    ('x', 'ч'),
    ('c', 'с'),
    ('v', 'м'),
    ('b', 'и'),
    ('n', 'т'),
    ('m', 'ь'),
    (',', 'б'),
    ('.', 'ю'),
    // Shifted punctuation keys of the letter rows.
    ('{', 'Х'),
    ('}', 'Ъ'),
    (':', 'Ж'),
    ('"', 'Э'),
    ('<', 'Б'),
    ('>', 'Ю'),
];

/// Russian-only keys: the number row (shifted) and the slash and grave keys.
const RUSSIAN_ONLY: &[(char, char)] = &[
    ('`', 'ё'),
    ('~', 'Ё'),
    ('@', '"'),
    ('#', '№'),
    ('$', ';'),
    ('^', ':'),
    ('&', '?'),
    ('/', '.'),
    ('?', ','),
    ('|', '/'),
];

/// Kazakh-only keys: the number row carries the nine Kazakh letters.
const KAZAKH_ONLY: &[(char, char)] = &[
    ('`', '('),
    ('~', ')'),
    ('1', '"'),
    ('2', 'ә'),
    ('@', 'Ә'),
    ('3', 'і'),
    ('#', 'І'),
    ('4', 'ң'),
    ('$', 'Ң'),
    ('5', 'ғ'),
    ('%', 'Ғ'),
    ('6', ','),
    ('^', ';'),
    ('7', '.'),
    ('&', ':'),
    ('8', 'ү'),
    ('*', 'Ү'),
    ('9', 'ұ'),
    ('(', 'Ұ'),
    ('0', 'қ'),
    (')', 'Қ'),
    ('-', 'ө'),
    ('_', 'Ө'),
    ('=', 'һ'),
    ('+', 'Һ'),
    ('/', '№'),
];

/// The query re-typed as if the keys pressed had been meant on each other layout: Latin-looking
/// input gives the Russian- and Kazakh-layout readings, Cyrillic-looking input gives the English
/// (US) reading. Only readings that differ from the input; deduplicated; never panics on any
/// input. Characters that are not on the layout stay as they are. Case follows the input (Shift).
///
/// ```
/// # use kazsearch::analysis::layout::{candidates, Layout};
/// let readings = candidates("Nj0ftd");
/// assert!(readings.contains(&(Layout::Kazakh, "Тоқаев".to_string())));
/// assert_eq!(candidates("ещлфнум"), vec![(Layout::English, "tokayev".to_string())]);
/// ```
pub fn candidates(query: &str) -> Vec<(Layout, String)> {
    let (mut latin, mut cyrillic) = (0usize, 0usize);
    for c in query.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if matches!(c, '\u{0400}'..='\u{04FF}') {
            cyrillic += 1;
        }
    }
    let layouts: &[Layout] = if cyrillic > latin {
        &[Layout::English]
    } else if latin > 0 {
        &[Layout::Russian, Layout::Kazakh]
    } else {
        &[]
    };
    let mut out: Vec<(Layout, String)> = Vec::with_capacity(layouts.len());
    for &layout in layouts {
        let mut reading = String::with_capacity(query.len() * 2);
        let mut chars = query.chars().peekable();
        while let Some(c) = chars.next() {
            // On the Kazakh layout the hyphen key gives ө, but "Y9h-C9knfy" is Нұр-Сұлтан: keep
            // the hyphen unless a lower-case letter follows ("F0n-,t" is Ақтөбе).
            let hyphen = c == '-'
                && layout == Layout::Kazakh
                && !chars
                    .peek()
                    .is_some_and(|&n| retype(n, layout).is_lowercase());
            reading.push(if hyphen { c } else { retype(c, layout) });
        }
        if reading != query && !out.iter().any(|(_, r)| *r == reading) {
            out.push((layout, reading));
        }
    }
    out
}

/// The character the key that produced `c` gives on `layout` (or `c` itself).
fn retype(c: char, layout: Layout) -> char {
    match layout {
        Layout::Russian | Layout::Kazakh => {
            let only = if layout == Layout::Russian {
                RUSSIAN_ONLY
            } else {
                KAZAKH_ONLY
            };
            if let Some(&(_, cyr)) = only.iter().find(|&&(us, _)| us == c) {
                return cyr;
            }
            if c.is_ascii_uppercase() {
                return lookup(LETTER_ROWS, c.to_ascii_lowercase()).map_or(c, upper);
            }
            lookup(LETTER_ROWS, c).unwrap_or(c)
        }
        Layout::English => {
            if let Some(&(us, _)) = LETTER_ROWS
                .iter()
                .chain(
                    RUSSIAN_ONLY
                        .iter()
                        .filter(|(_, cyr)| matches!(cyr, 'ё' | 'Ё')),
                )
                .chain(KAZAKH_ONLY.iter().filter(|(_, cyr)| cyr.is_alphabetic()))
                .find(|&&(_, cyr)| cyr == c)
            {
                return us;
            }
            let lower = c.to_lowercase().next().unwrap_or(c);
            if lower != c {
                if let Some(&(us, _)) = LETTER_ROWS.iter().find(|&&(_, cyr)| cyr == lower) {
                    return us.to_ascii_uppercase();
                }
            }
            c
        }
    }
}

fn lookup(table: &[(char, char)], us: char) -> Option<char> {
    table.iter().find(|&&(k, _)| k == us).map(|&(_, v)| v)
}

fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(query: &str, layout: Layout) -> Option<String> {
        candidates(query)
            .into_iter()
            .find(|(l, _)| *l == layout)
            .map(|(_, s)| s)
    }

    #[test]
    fn latin_typed_for_cyrillic() {
        let cases = [
            ("Nj0ftd", Layout::Kazakh, "Тоқаев"),
            ("@k3v;fy", Layout::Kazakh, "Әлімжан"),
            (")9yfy,fq9ks", Layout::Kazakh, "Құнанбайұлы"),
            ("Yf=fzy", Layout::Kazakh, "Наһаян"),
            ("*irtvg3hjd", Layout::Kazakh, "Үшкемпіров"),
            ("_crtvty", Layout::Kazakh, "Өскемен"),
            ("R-ritnfe", Layout::Kazakh, "Көкшетау"),
            ("<fq5fpby", Layout::Kazakh, "Байғазин"),
            ("N8hrbz", Layout::Kazakh, "Түркия"),
            ("J4fk[fy", Layout::Kazakh, "Оңалхан"),
            ("L2ektn", Layout::Kazakh, "Дәулет"),
            ("Y9h-C9knfy", Layout::Kazakh, "Нұр-Сұлтан"),
            ("F0n-,t", Layout::Kazakh, "Ақтөбе"),
            ("Rfhgjd", Layout::Russian, "Карпов"),
            ("Cj,zyby", Layout::Russian, "Собянин"),
            (":erjd", Layout::Russian, "Жуков"),
            ("Xtxyz", Layout::Russian, "Чечня"),
            ("Trfnthby,ehu", Layout::Russian, "Екатеринбург"),
            ("\"ythuj", Layout::Russian, "Энерго"),
            ("{fcfdm.hn", Layout::Russian, "Хасавьюрт"),
            ("`kjxrf", Layout::Russian, "ёлочка"),
            ("GJKBWBZ", Layout::Russian, "ПОЛИЦИЯ"),
        ];
        for (typed, layout, want) in cases {
            assert_eq!(reading(typed, layout).as_deref(), Some(want), "{typed}");
        }
    }

    #[test]
    fn cyrillic_typed_for_latin() {
        assert_eq!(
            candidates("ещлфнум"),
            vec![(Layout::English, "tokayev".to_string())]
        );
        assert_eq!(
            reading("Ефырлуте", Layout::English).as_deref(),
            Some("Tashkent")
        );
        assert_eq!(
            reading("фдьфен ыегвуте", Layout::English).as_deref(),
            Some("almaty student")
        );
        assert_eq!(reading("ЖЭБЮ", Layout::English).as_deref(), Some(":\"<>"));
        assert_eq!(reading("Әқ", Layout::English).as_deref(), Some("@0"));
    }

    #[test]
    fn readings_differ_from_input_and_are_unique() {
        assert!(candidates("").is_empty());
        assert!(candidates("2021").is_empty());
        assert!(candidates("!!! ...").is_empty());
        // Russian and Kazakh agree without number-row keys: one reading.
        assert_eq!(candidates("Rfhgjd").len(), 1);
        for (_, r) in candidates("Nj0ftd") {
            assert_ne!(r, "Nj0ftd");
        }
    }

    #[test]
    fn never_panics() {
        for q in [
            "\u{0}",
            "👍🏽",
            "ǅ",
            "ß",
            "İ",
            "日本",
            "Ɐ",
            "\u{10FFFF}",
            "a\u{0301}",
            "-",
            "--",
            "Ё~`",
        ] {
            let _ = candidates(q);
        }
    }
}
