//! Which words of a hit matched, and snippets with those words marked.
//!
//! The matched words are read back from the index itself: for each term the query searched
//! (near spellings included: the query expanded them to terms), the hit's positions in the postings say which
//! words hold it. So the marks show exactly what matched — a Latin query lights up
//! Тоқаевтың — with no second analysis of the article. Positions map to byte ranges by
//! segmenting the stored text again with the same [`words`].

use std::collections::{BTreeSet, HashMap};

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

use crate::analysis::words::{words, Word};
use crate::analysis::{analyze_article_word, Terms};
use crate::lang::Lang;
use crate::store::Fields;

/// Matched word positions of one hit, in its title and its body.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    /// Positions in the title.
    pub title: BTreeSet<u32>,
    /// Positions in the body.
    pub body: BTreeSet<u32>,
}

/// Finds the matched positions of each hit (`hits` with their languages).
pub fn matches(
    searcher: &Searcher,
    fields: &Fields,
    terms: &[BTreeSet<String>; 3],
    hits: &[(DocAddress, Lang)],
) -> tantivy::Result<Vec<Matches>> {
    let mut out = vec![Matches::default(); hits.len()];
    // Group by segment, then by language; docs ascending for postings seeks.
    let mut groups: HashMap<(u32, Lang), Vec<(u32, usize)>> = HashMap::new();
    for (i, (addr, lang)) in hits.iter().enumerate() {
        groups
            .entry((addr.segment_ord, *lang))
            .or_default()
            .push((addr.doc_id, i));
    }
    let mut positions = Vec::new();
    for ((segment_ord, lang), mut docs) in groups {
        docs.sort_unstable();
        let reader = searcher.segment_reader(segment_ord);
        for (field, is_title) in [
            (fields.title[lang.index()], true),
            (fields.body[lang.index()], false),
        ] {
            let inverted = reader.inverted_index(field)?;
            for term in &terms[lang.index()] {
                let Some(mut postings) = inverted.read_postings(
                    &Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqsAndPositions,
                )?
                else {
                    continue;
                };
                for &(doc, i) in &docs {
                    if postings.doc() == TERMINATED {
                        break;
                    }
                    if postings.doc() < doc && postings.seek(doc) != doc {
                        continue;
                    }
                    if postings.doc() != doc {
                        continue;
                    }
                    positions.clear();
                    postings.positions(&mut positions);
                    let set = if is_title {
                        &mut out[i].title
                    } else {
                        &mut out[i].body
                    };
                    set.extend(positions.iter().copied());
                }
            }
        }
    }
    Ok(out)
}

/// The positions of the words of `text` (in `lang`) that hold one of `terms`, found by
/// analysing the text again as the index did ([`analyze_article_word`]): for an engine whose
/// postings are not at hand (OpenSearch), the same positions [`matches`] reads from tantivy's.
pub fn analysed_positions(text: &str, lang: Lang, terms: &BTreeSet<String>) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    if terms.is_empty() {
        return out;
    }
    let mut t = Terms::default();
    for w in words(text) {
        analyze_article_word(w.text, lang, &mut t);
        if t.iter().any(|(_, s)| terms.contains(s)) {
            out.insert(w.position as u32);
        }
    }
    out
}

/// Matched positions considered when choosing where a snippet goes.
pub const MAX_SPANS: usize = 64;
/// Words a snippet window spans, roughly (a snippet is about 240 characters).
pub const WINDOW_WORDS: u32 = 40;

/// Matched positions always mapped back to words, for the list of matched words.
pub const LISTED_POSITIONS: usize = 8;

/// Byte ranges of the matched words a hit needs: its first [`LISTED_POSITIONS`] matches (for
/// the matched-words list) and those up to the end of the densest window of
/// [`WINDOW_WORDS`] positions among the first [`MAX_SPANS`] matches (for the snippet). The
/// window is chosen on word positions, straight from the postings, so a long article is
/// segmented only as far as it needs to be.
pub fn snippet_spans(text: &str, positions: &BTreeSet<u32>) -> Vec<(usize, usize)> {
    let first: Vec<u32> = positions.iter().take(MAX_SPANS).copied().collect();
    let density: Vec<usize> = first
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            first[i..]
                .iter()
                .take_while(|&&q| q < p + WINDOW_WORDS)
                .count()
        })
        .collect();
    let most = density.iter().copied().max().unwrap_or(0);
    // The earliest window within one match of the densest: news put the name in the lead,
    // and an early window needs less of the text segmented.
    let Some(best) = density.iter().position(|&n| n + 1 >= most) else {
        return Vec::new();
    };
    let start = first[best];
    let listed = first
        .get(LISTED_POSITIONS.min(first.len()) - 1)
        .map_or(0, |p| p + 1);
    let end = (start + WINDOW_WORDS).max(listed);
    let upto: BTreeSet<u32> = positions.range(..end).copied().collect();
    spans(text, &upto)
}

/// Byte ranges of the words at `positions` in `text` (segmented only up to the last one).
pub fn spans(text: &str, positions: &BTreeSet<u32>) -> Vec<(usize, usize)> {
    let mut ws = words(text);
    let mut out = Vec::with_capacity(positions.len());
    let mut current = None;
    for &p in positions {
        let p = p as usize;
        // Words between the wanted ones are counted, not built.
        if current.is_none_or(|w: Word| w.position < p) {
            ws.skip_to(p);
            current = ws.next();
        }
        match current {
            Some(w) if w.position == p => out.push((w.start, w.end)),
            Some(_) => {}
            None => break,
        }
    }
    out
}

/// Escapes text for HTML (element content and attribute values).
pub fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text[from..to]`, HTML-escaped, with `<mark>` around the spans inside it.
fn marked(text: &str, from: usize, to: usize, spans: &[(usize, usize)], out: &mut String) {
    let mut at = from;
    for &(s, e) in spans {
        let valid = s < e && text.is_char_boundary(s) && text.is_char_boundary(e);
        if !valid || e <= from || s >= to || s < at {
            continue;
        }
        escape_html(&text[at..s], out);
        out.push_str("<mark>");
        escape_html(&text[s..e.min(to)], out);
        out.push_str("</mark>");
        at = e.min(to);
    }
    escape_html(&text[at..to], out);
}

/// The whole text, escaped, with the spans marked.
pub fn mark_all(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 13);
    marked(text, 0, text.len(), spans, &mut out);
    out
}

/// A snippet of about `max_chars` characters around the densest group of spans, escaped and
/// marked, with "…" where the text was cut.
///
/// ```
/// use kazsearch::search::highlight::snippet;
/// let text = "Президент Тоқаев <b> Астанада болды.";
/// assert_eq!(snippet(text, &[(19, 31)], 100), "Президент <mark>Тоқаев</mark> &lt;b&gt; Астанада болды.");
/// ```
pub fn snippet(text: &str, spans: &[(usize, usize)], max_chars: usize) -> String {
    // Bytes per character, judged on the text's start (Cyrillic takes two, Latin one).
    let sample = &text[..floor_char(text, text.len().min(2048))];
    let bytes_per_char = sample.len() as f64 / sample.chars().count().max(1) as f64;
    let window = ((max_chars as f64) * bytes_per_char) as usize;
    if text.len() <= window {
        return mark_all(text, spans);
    }
    // The window start (a span) that covers the most spans.
    let mut best = (0usize, 0usize);
    for (i, &(s, _)) in spans.iter().enumerate() {
        let n = spans[i..]
            .iter()
            .take_while(|(e, _)| *e < s + window * 3 / 4)
            .count();
        if n > best.1 {
            best = (i, n);
        }
    }
    let anchor = spans.get(best.0).map_or(0, |(s, _)| *s);
    let mut from = floor_char(text, anchor.saturating_sub(window / 4));
    if from > 0 {
        // Start at a word: after the next space if there is one close by.
        if let Some(sp) = text[from..anchor].find(char::is_whitespace) {
            from += sp;
            from += text[from..].chars().next().map_or(0, char::len_utf8);
        }
    }
    let mut to = floor_char(text, (from + window).min(text.len()));
    if to < text.len() {
        if let Some(sp) = text[from..to].rfind(char::is_whitespace) {
            if sp > window / 2 {
                to = from + sp;
            }
        }
    }
    let mut out = String::with_capacity(window + 64);
    if from > 0 {
        out.push('…');
    }
    marked(text, from, to, spans, &mut out);
    if to < text.len() {
        out.push('…');
    }
    out
}

/// Characters a lead ([`lead`]) holds at most: a line of the result list, with some to spare
/// (the page cuts it to one line).
pub const LEAD_CHARS: usize = 200;

/// What stands in for a missing title: the first sentence of `text` (up to the first sentence
/// end or line break, at most `max_chars` characters, cut at a word with "…"), escaped, with
/// the spans inside it marked.
///
/// ```
/// use kazsearch::search::highlight::lead;
/// let text = "Ақтөбеде боран соқты. Жолдар жабылды.";
/// assert_eq!(lead(text, &[(0, 16)], 200), "<mark>Ақтөбеде</mark> боран соқты.");
/// ```
pub fn lead(text: &str, spans: &[(usize, usize)], max_chars: usize) -> String {
    let (from, to, cut) = first_sentence(text, max_chars);
    let mut out = String::with_capacity(to - from + 16);
    marked(text, from, to, spans, &mut out);
    if cut {
        out.push('…');
    }
    out
}

/// Byte range of the first sentence of `text`, and whether it was cut at `max_chars`
/// characters. A sentence ends at `.`, `!`, `?` or `…` (and any closing quotes or brackets
/// after it) followed by a space and a capital letter, a digit, an opening quote or dash, or
/// by the end of the text; a line break ends it too. "т.б. жұмыс" and "1.5" do not end one.
pub fn first_sentence(text: &str, max_chars: usize) -> (usize, usize, bool) {
    let from = text.len() - text.trim_start().len();
    let rest = &text[from..];
    let end_at = |to: usize, cut: bool| (from, from + rest[..to].trim_end().len(), cut);
    let mut last_space = None;
    let mut chars = rest.char_indices().peekable();
    let mut n = 0;
    while let Some((i, c)) = chars.next() {
        if c == '\n' || c == '\r' {
            return end_at(i, false);
        }
        if n == max_chars {
            return end_at(last_space.filter(|&s| s > 0).unwrap_or(i), true);
        }
        n += 1;
        if c.is_whitespace() {
            last_space = Some(i);
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !matches!(d, '"' | '\'' | '»' | '”' | '’' | ')' | ']') {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let after = &rest[end..];
        let next = after.trim_start().chars().next();
        let starts_sentence = |n: char| {
            n.is_uppercase()
                || n.is_numeric()
                || matches!(n, '"' | '«' | '“' | '—' | '–' | '-' | '(')
        };
        if after.is_empty()
            || (after.starts_with(char::is_whitespace) && next.is_none_or(starts_sentence))
        {
            return end_at(end, false);
        }
    }
    end_at(rest.len(), false)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_marks() {
        assert_eq!(
            mark_all("<script>alert('x')</script> & \"Тоқаев\"", &[(31, 43)]),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;<mark>Тоқаев</mark>&quot;"
        );
        assert_eq!(mark_all("ab", &[]), "ab");
    }

    #[test]
    fn spans_follow_positions() {
        let text = "Tokayev's visit to Нұр-Сұлтан";
        let set: BTreeSet<u32> = [0, 4].into_iter().collect();
        let got: Vec<&str> = spans(text, &set)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["Tokayev", "Сұлтан"]);
    }

    #[test]
    fn snippet_windows() {
        let long = format!("{} Тоқаев {}", "сөз ".repeat(200), "сөз ".repeat(200));
        let at = long.find("Тоқаев").unwrap();
        let s = snippet(&long, &[(at, at + "Тоқаев".len())], 80);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>Тоқаев</mark>"), "{s}");
        assert!(s.chars().count() < 120, "{s}");
        let none = snippet(&long, &[], 80);
        assert!(none.starts_with("сөз") && none.ends_with('…'));
        for max in [1, 5, 17, 80] {
            // never panics on any cut, any char width
            snippet(
                "ә ә ә ә ә ә ә ә ә ә ә ә ә ә ә ә ә ә ә ә",
                &[(3, 5), (30, 32), (4, 9)],
                max,
            );
        }
    }

    #[test]
    fn first_sentences() {
        let cases: &[(&str, &str, bool)] = &[
            (
                "Ақтөбеде боран соқты. Жолдар жабылды.",
                "Ақтөбеде боран соқты.",
                false,
            ),
            ("  Leading space! Then more.", "Leading space!", false),
            ("No end at all", "No end at all", false),
            ("Ends here.", "Ends here.", false),
            (
                "Он сказал: «Готово.» Потом ушёл.",
                "Он сказал: «Готово.»",
                false,
            ),
            (
                "Сайт, т.б. жұмыс істейді. Келесі.",
                "Сайт, т.б. жұмыс істейді.",
                false,
            ),
            ("Рост 1.5 процента. Далее.", "Рост 1.5 процента.", false),
            ("Wait... What? Yes.", "Wait...", false),
            (
                "Первая строка без точки\nВторая строка.",
                "Первая строка без точки",
                false,
            ),
            ("Абзац.\n\nДругой.", "Абзац.", false),
            ("one two three four five", "one two", true),
            ("onetwothreefour", "onetwothr", true),
            ("", "", false),
            ("   ", "", false),
        ];
        for &(text, want, cut) in cases {
            let max = if cut { 9 } else { 200 };
            let (from, to, was_cut) = first_sentence(text, max);
            assert_eq!((&text[from..to], was_cut), (want, cut), "{text:?}");
        }
        assert_eq!(lead("a < b. C.", &[], 200), "a &lt; b.");
        assert_eq!(
            lead("one two three four five", &[(4, 7)], 9),
            "one <mark>two</mark>…"
        );
        for max in [0, 1, 2, 3, 7] {
            // never panics on any cut, any char width
            lead("ә ә. ә! ә? ә… ә ә ә", &[(0, 2), (3, 40)], max);
        }
    }
}
