//! PLACEHOLDER until the real module lands.
/// Stem.
pub fn stem(word: &str) -> &str {
    for e in ["тың", "тің", "дың", "нің", "ның", "қа", "ға", "да", "те"] {
        if let Some(s) = word.strip_suffix(e) {
            if s.chars().count() >= 3 {
                return s;
            }
        }
    }
    word
}
/// Stopword.
pub fn is_stopword(_w: &str) -> bool {
    false
}
