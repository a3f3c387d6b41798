//! PLACEHOLDER until the real module lands.
use super::Lang;
/// Method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// l
    Letters,
    /// l
    Lingua,
    /// f
    Fallback,
}
/// Detection.
#[derive(Debug, Clone, Copy)]
pub struct Detection {
    /// l
    pub lang: Lang,
    /// c
    pub confidence: f64,
    /// m
    pub method: Method,
}
/// Detector.
#[derive(Default)]
pub struct Detector;
impl Detector {
    /// New.
    pub fn new() -> Detector {
        Detector
    }
    /// Detect.
    pub fn detect(&self, title: &str, body: &str) -> Detection {
        self.detect_text(&format!("{title} {body}"))
    }
    /// Detect text.
    pub fn detect_text(&self, text: &str) -> Detection {
        let kk = text.chars().any(|c| "әғқңөұүһі".contains(c));
        let cyr = text.chars().any(|c| ('а'..='я').contains(&c));
        let lang = if kk {
            Lang::Kk
        } else if cyr {
            Lang::Ru
        } else {
            Lang::En
        };
        Detection {
            lang,
            confidence: 0.5,
            method: Method::Letters,
        }
    }
}
