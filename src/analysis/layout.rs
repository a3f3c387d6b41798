//! PLACEHOLDER until the real module lands.
/// Layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// ru
    Russian,
    /// kk
    Kazakh,
    /// en
    English,
}
/// Candidates.
pub fn candidates(_q: &str) -> Vec<(Layout, String)> {
    Vec::new()
}
