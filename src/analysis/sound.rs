//! Sound patterns: how an English spelling of a foreign name may have been transcribed into
//! Russian or Kazakh Cyrillic — Paul = Пол, Mike = Майк, Chris = Крис, Charles = Чарльз,
//! Harvard = Гарвард, Mueller = Мюллер, Feinstein = Фейнштейн.
//!
//! Why: [`super::key`] joins spellings that follow romanization rules, letter by letter. A name
//! from English news is not romanized into Cyrillic but transcribed by ear, and English vowels
//! are too irregular for any letter rule (Paul/Пол, Mike/Майк, Jaynes/Джейнс). The consonants
//! survive, mostly: a transcription keeps them in order and varies the vowels.
//!
//! How: a query word in plain Latin letters becomes a [`SoundPattern`], one slot per consonant
//! sound, each slot the set of key letters a transcriber may have written for it
//! (ch → ч, к or ш; initial h → х or г; g before e/i → г or дж; s → с or з, ш before t/p;
//! w → в or nothing; gh, kn- silent; h after a vowel silent, or х inside the word). A term
//! (an article word's [`super::key`] or stripped key) matches when its consonants, vowels
//! skipped and doubled letters read once, fill the slots in order, and it starts with a vowel
//! exactly when the word does. Two consonant sounds at least are required: a shorter pattern
//! matches half the dictionary.
//!
//! This is the loosest tier of matching, far below a key match, applied by the search only in
//! Cyrillic articles for Latin query words (the direction of English news translated into
//! Russian and Kazakh). It is deliberately coarse: it also joins Пол with Поль and Пола, and
//! the search ranks such guesses last and keeps only the closest few.
//!
//! The word's readings, its conventional transcriptions ([`transcriptions`]: Paul = Пол,
//! Hunt = Хант, Jack = Джек), are no guess: the search counts them direct matches in Cyrillic
//! articles.

use crate::lang::Lang;

/// Letters of the key alphabet that are vowels (y appears in Latin words kept as written).
fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A lowercase ASCII letter that is no vowel.
fn is_consonant(b: u8) -> bool {
    b.is_ascii_lowercase() && !is_vowel(b)
}

fn bit(b: u8) -> u32 {
    1 << (b - b'a')
}

fn set(letters: &[u8]) -> u32 {
    letters.iter().fold(0, |s, &b| s | bit(b))
}

/// One sound of an English spelling: the key letters a Cyrillic transcription may write for
/// it (none for a vowel), whether a transcription may leave it out, and its likeliest reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sound {
    letters: u32,
    optional: bool,
    reading: &'static str,
    /// The other conventional reading of a word's first vowel ([`first_vowel_alt`]).
    alt: Option<&'static str>,
    /// A consonant written doubled (Fallon, Mueller): a transcription often keeps it so
    /// (Фэллон, Мюллер).
    doubled: bool,
    /// The sound's reading in the word's second set of readings: an h after a vowel inside
    /// the word, silent in the first (Brahms = Брамс), spoken there (Mahmoud = Махмуд,
    /// Muhammad = Мухаммед); an initial h before a vowel, х in the first (Hunt = Хант), г
    /// there (Harvard = Гарвард); an initial j before a vowel, дж in the first (Jack = Джек),
    /// й there (Jacobs = Якобс, Juncker = Юнкер: German, Dutch, Scandinavian, Polish names).
    spoken: Option<&'static str>,
}

/// A consonant sound.
fn consonant(letters: &[u8], optional: bool, reading: &'static str) -> Sound {
    Sound {
        letters: set(letters),
        optional,
        reading,
        alt: None,
        doubled: false,
        spoken: None,
    }
}

/// A vowel sound (it only has a reading), or a silent letter (`""`).
fn vowel(reading: &'static str) -> Sound {
    Sound {
        letters: 0,
        optional: false,
        reading,
        alt: None,
        doubled: false,
        spoken: None,
    }
}

/// The single-letter reading of an ASCII lowercase letter.
fn letter(b: u8) -> &'static str {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    let i = usize::from(b - b'a');
    &LETTERS[i..=i]
}

/// The sounds of a word in plain Latin letters (an apostrophe aside), in order; None for any
/// other word. The one reading of English spelling that both the pattern and the guessed
/// transcription are made from.
fn sounds(word: &str) -> Option<Vec<Sound>> {
    let w: Vec<u8> = word
        .bytes()
        .filter(|&b| b != b'\'')
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if w.is_empty() || !w.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let at = |i: usize| w.get(i).copied().unwrap_or(0);
    let mut out: Vec<Sound> = Vec::with_capacity(w.len());
    let mut seen_vowel = false;
    let mut i = 0;
    while i < w.len() {
        let (c, next) = (w[i], at(i + 1));
        let after_vowel = i > 0 && is_vowel(w[i - 1]);
        // A doubled letter is one sound (Alleva, Massachusetts); ee and oo are read below.
        if i > 0 && c == w[i - 1] && c != b'e' && c != b'o' {
            if let Some(last) = out.last_mut() {
                last.doubled = last.letters != 0 && last.reading.len() == 1;
            }
            // The second letter opens a digraph the first already stands for: Matthew = Мэттью
            // (tth is one т, maybe doubled, not т and х).
            let digraph = matches!((c, next), (b't' | b'p' | b's' | b'c', b'h'));
            i += if digraph { 2 } else { 1 };
            continue;
        }
        // A vowel, one consonant and a final silent e (or -es): Mike, Flake, Jones.
        let magic = is_consonant(next)
            && at(i + 2) == b'e'
            && (i + 3 == w.len() || (i + 4 == w.len() && at(i + 3) == b's'));
        let after_n = i > 0 && w[i - 1] == b'n';
        let (sound, step) = match (c, next) {
            (b'a', b'u') => (vowel("o"), 2),
            // aw is оу: Shaw = Шоу, Dawson = Доусон, Lawrence = Лоуренс (Dawn is not Дон).
            (b'a', b'w') => (vowel("ou"), 2),
            // A transcription of a name keeps oa as written: Joan = Джоан (not Джон, John),
            // Boateng = Боатенг, Goa = Гоа.
            (b'o', b'a') => (vowel("oa"), 2),
            (b'o', b'o') => (vowel("u"), 2),
            (b'o', b'u') => (vowel("au"), 2),
            (b'e', b'e' | b'a') | (b'i', b'e') => (vowel("i"), 2),
            (b'a' | b'e', b'i' | b'y') => (vowel("ei"), 2),
            (b'e', b'w') => (vowel("iu"), 2),
            // igh is ай: Knight = Найт, Wright = Райт (the gh is silent below).
            (b'i', b'g') if at(i + 2) == b'h' => (vowel("ai"), 1),
            (b'a', _) if magic => (vowel("ei"), 1),
            // An a in an open syllable, before one consonant and a vowel: Baker, David. Only
            // the first vowel, which mostly carries the stress: an unstressed one is а
            // (Kavanaugh = Кавано, Alabama = Алабама).
            (b'a', _)
                if !seen_vowel && is_consonant(next) && next != b'r' && is_vowel(at(i + 2)) =>
            {
                (vowel("ei"), 1)
            }
            (b'i' | b'y', _) if magic => (vowel("ai"), 1),
            (b'o', _) if magic => (vowel("o"), 1),
            (b'u', _) if magic => (vowel("iu"), 1),
            // A short u, in a closed syllable inside the word, is a Russian а: Hunt = Хант,
            // Trump = Трамп, Justin = Джастин (not before r, ll, sh: Burns, Muller, Bush).
            (b'u', _)
                if i > 0
                    && is_consonant(next)
                    && next != b'r'
                    && (at(i + 2) == 0 || is_consonant(at(i + 2)))
                    && !matches!((next, at(i + 2)), (b'l', b'l') | (b's', b'h')) =>
            {
                (vowel("a"), 1)
            }
            (b'e', _) if i + 1 == w.len() && i > 1 => (vowel(""), 1),
            (b'e', b's') if i + 2 == w.len() && magic_before(&w, i) => (vowel(""), 1),
            (b'y', _) => (vowel("i"), 1),
            _ if is_vowel(c) => (vowel(letter(c)), 1),
            // Greek ch before a consonant: Chris, Christopher.
            (b'c', b'h') if is_consonant(at(i + 2)) => (consonant(b"qkw", false, "k"), 2),
            (b'c', b'h') => (consonant(b"qkw", false, "q"), 2),
            (b'c', b'k') => (consonant(b"k", false, "k"), 2),
            (b'c', b'e' | b'i' | b'y') => (consonant(b"sc", false, "s"), 1),
            (b'c', _) => (consonant(b"k", false, "k"), 1),
            (b's', b'h') => (consonant(b"w", false, "w"), 2),
            (b's', b'c') if at(i + 2) == b'h' => (consonant(b"w", false, "w"), 3),
            (b's', b't' | b'p') => (consonant(b"swz", false, "s"), 1),
            // Between vowels, a transcription voices it: Rosa = Роза, Theresa = Тереза,
            // Joseph = Джозеф, Kansas = Канзас.
            (b's', _) if after_vowel && is_vowel(next) => (consonant(b"sz", false, "z"), 1),
            (b's', _) => (consonant(b"sz", false, "s"), 1),
            (b'z', _) => (consonant(b"sz", false, "z"), 1),
            (b't', b'c') if at(i + 2) == b'h' => (consonant(b"q", false, "q"), 3),
            (b't', b'h') => (consonant(b"t", false, "t"), 2),
            (b'p', b'h') => (consonant(b"f", false, "f"), 2),
            // Silent inside a word (Hugh, Vaughan), g at its start (Ghana).
            (b'g', b'h') if i == 0 => (consonant(b"g", false, "g"), 2),
            (b'g', b'h') => (vowel(""), 2),
            (b'g', b'e' | b'i' | b'y') => (consonant(b"gj", after_n, "g"), 1),
            (b'g', _) => (consonant(b"g", after_n, "g"), 1),
            (b'k', b'n') if i == 0 => (vowel(""), 1),
            (b'j', _) if i == 0 && is_vowel(next) => (
                Sound {
                    spoken: Some("i"),
                    ..consonant(b"j", false, "j")
                },
                1,
            ),
            (b'q', b'u') => {
                out.push(consonant(b"k", false, "k"));
                (consonant(b"v", true, "v"), 2)
            }
            (b'q', _) => (consonant(b"k", false, "k"), 1),
            (b'x', _) => {
                out.push(consonant(b"k", false, "k"));
                (consonant(b"sz", false, "s"), 1)
            }
            // After a vowel, silent at the end (Utah, Sarah) and mostly inside an English word
            // (Brahms, John); inside names from Arabic, Persian or Urdu it is х (Mahmoud =
            // Махмуд, Muhammad = Мухаммед, Tehreek = Техрик, whose х the key reads k), and г
            // in some older ones (Tehran = Тегеран).
            (b'h', _) if after_vowel && next != 0 => (
                Sound {
                    spoken: Some("k"),
                    ..consonant(b"kg", true, "")
                },
                1,
            ),
            (b'h', _) if after_vowel => (vowel(""), 1),
            // An initial h before a vowel is х in newer names (Hunt = Хант) and г in
            // established ones (Harvard = Гарвард, Hamilton = Гамильтон, Hitler = Гитлер).
            (b'h', _) if i == 0 && is_vowel(next) => (
                Sound {
                    spoken: Some("g"),
                    ..consonant(b"hg", false, "h")
                },
                1,
            ),
            (b'h', _) => (consonant(b"hg", false, "h"), 1),
            (b'w', b'r') if i == 0 => (vowel(""), 1),
            (b'w', _) if after_vowel => (vowel(""), 1),
            (b'w', _) => (consonant(b"v", true, "u"), 1),
            _ => (consonant(&[c], false, letter(c)), 1),
        };
        let mut sound = sound;
        if sound.letters == 0 && !sound.reading.is_empty() && !seen_vowel {
            seen_vowel = true;
            sound.alt = first_vowel_alt(&w, i, sound.reading, magic);
        }
        out.push(sound);
        i += step;
    }
    Some(out)
}

/// The other reading a transcriber gives the first vowel sound of an English word (`w[i]`,
/// read `reading`), where the spelling leaves two conventions open:
/// - a short a as э: Jack = Джек, Thatcher = Тэтчер, Banks = Бэнкс (not before r or l, nor
///   after w or u: Harvard, Albert, Washington keep а);
/// - an e in an open syllable as и: Peter = Питер, Steven = Стивен, Pete = Пит;
/// - an a in an open syllable, read long (ей), as а: Kavanaugh = Кавано, Malook = Малук;
/// - ei or ai, read ей, as ай: Heiko = Хайко, Taimoor = Таймур;
/// - a u read as а, as у: Hussain = Хусейн, Rudd = Рудд; an initial u in an open syllable
///   as ю: Uniper = Юнипер.
///
/// Tried and left out, each for joining other names on names.tsv or the dev queries: a long a
/// as э (David = Дэвид, but Baker = Бекер), an open i as ай (Simon = Саймон, but the
/// romanized Chita = Kazakh qaita).
///
/// Only the first vowel: it mostly carries the stress, and the stressed vowel is where the
/// conventions differ.
/// `magic`: the vowel is followed by one consonant and a final silent e ([`sounds`]).
fn first_vowel_alt(w: &[u8], i: usize, reading: &'static str, magic: bool) -> Option<&'static str> {
    let at = |j: usize| w.get(j).copied().unwrap_or(0);
    let next = at(i + 1);
    let open = is_consonant(next) && is_vowel(at(i + 2));
    let after_w = i > 0 && matches!(w[i - 1], b'w' | b'u');
    match (w[i], reading) {
        (b'a', "a") if !matches!(next, b'r' | b'l') && !after_w => Some("e"),
        (b'a', "ei") if open && !magic => Some("a"),
        (b'a' | b'e', "ei") if matches!(next, b'i' | b'y') => Some("ai"),
        (b'e', "e") if open && next != b'r' => Some("i"),
        (b'u', "a") => Some("u"),
        (b'u', "u") if open && i == 0 => Some("iu"),
        _ => None,
    }
}

/// The readings of a word's sounds, without repeats: the likeliest; with the second readings
/// of its sounds ([`Sound::spoken`]), with its doubled consonants written twice, and with
/// both; then all of those again with its first vowel's other reading.
fn readings(sounds: &[Sound]) -> Vec<String> {
    let alt = sounds.iter().any(|s| s.alt.is_some());
    let doubled = sounds.iter().any(|s| s.doubled);
    let spoken = sounds.iter().any(|s| s.spoken.is_some());
    let mut out: Vec<String> = Vec::new();
    for use_alt in [false, true] {
        for use_spoken in [false, true] {
            for use_double in [false, true] {
                if (use_alt && !alt) || (use_double && !doubled) || (use_spoken && !spoken) {
                    continue;
                }
                let mut r = String::new();
                for s in sounds {
                    let one = match (use_spoken, s.spoken) {
                        (true, Some(spoken)) => spoken,
                        _ if use_alt => s.alt.unwrap_or(s.reading),
                        _ => s.reading,
                    };
                    r.push_str(one);
                    if use_double && s.doubled {
                        r.push_str(one);
                    }
                }
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// Most edits a sound-alike may be from the word's reading (or its key) to count as a guess of
/// this name: one per two letters of the reading, at least one. The consonants alone are weak
/// evidence for a long word — its vowels are left open, so any term with the same consonants
/// would do — and a guess must also keep about the word's length and half its letters. (One
/// per three letters cost ntrex-en 0.014 on dev: transcriptions such as Макдауэл for McDowall
/// change more.)
///
/// ```
/// use kazsearch::analysis::sound::max_edits;
/// assert_eq!(max_edits("pol"), 1);
/// assert_eq!(max_edits("janaozen"), 4);
/// ```
pub fn max_edits(reading: &str) -> usize {
    (reading.len() / 2).max(1)
}

/// Most slots a pattern holds (longer words are not transcription guesses worth making).
const MAX_SLOTS: usize = 24;

/// Fewest letters a query word needs before the search guesses its sound-alikes.
pub const MIN_LETTERS: usize = 4;

/// Fewest required slots.
pub const MIN_SOUNDS: usize = 2;

/// The consonant sounds of a Latin word, as transcribed into Cyrillic (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoundPattern {
    slots: Vec<Sound>,
    vowel_start: Option<bool>,
    reading: String,
}

/// The state of matching a term against a [`SoundPattern`], one byte at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoundState {
    /// Slots reached (bit i: the first i slots are filled); 0 once the term cannot match.
    reached: u32,
    /// The last consonant read since a vowel (a doubled letter is read once).
    last: u8,
    started: bool,
}

impl SoundPattern {
    /// The pattern the search guesses sound-alikes with: [`SoundPattern::of`], for words of at
    /// least [`MIN_LETTERS`] letters. A word of three letters is too little evidence: Tok
    /// would sound like Так, Тек, Тока and a few hundred more words.
    ///
    /// ```
    /// use kazsearch::analysis::sound::SoundPattern;
    /// assert!(SoundPattern::to_guess("Tok").is_none() && SoundPattern::of("Tok").is_some());
    /// assert!(SoundPattern::to_guess("Paul").is_some());
    /// ```
    pub fn to_guess(word: &str) -> Option<SoundPattern> {
        if !long_enough(word) {
            return None;
        }
        SoundPattern::of(word)
    }

    /// The pattern of a query word, when it is written in plain Latin letters (an apostrophe
    /// aside) and has at least [`MIN_SOUNDS`] consonant sounds.
    ///
    /// ```
    /// use kazsearch::analysis::sound::SoundPattern;
    /// let paul = SoundPattern::of("Paul").unwrap();
    /// assert!(paul.matches("pol") && !paul.matches("pavel"));
    /// assert!(SoundPattern::of("Chris").unwrap().matches("kris"));
    /// assert!(SoundPattern::of("Lee").is_none() && SoundPattern::of("Тоқаев").is_none());
    /// ```
    pub fn of(word: &str) -> Option<SoundPattern> {
        SoundPattern::from_sounds(word, sounds(word)?)
    }

    /// The pattern of `word` from its [`sounds`].
    fn from_sounds(word: &str, sounds: Vec<Sound>) -> Option<SoundPattern> {
        let reading = sounds.iter().map(|s| s.reading).collect();
        let slots: Vec<Sound> = sounds.into_iter().filter(|s| s.letters != 0).collect();
        if slots.len() > MAX_SLOTS || slots.iter().filter(|s| !s.optional).count() < MIN_SOUNDS {
            return None;
        }
        // A word that starts with a vowel is transcribed starting with one (Oregon = Орегон),
        // and one that starts with a consonant sound with a consonant — unless that sound may
        // be left out (William = Уильям).
        let first = word
            .bytes()
            .find(|&b| b != b'\'')
            .map(|b| b.to_ascii_lowercase());
        let vowel_start = match first {
            Some(b) if is_vowel(b) => Some(true),
            Some(b'w' | b'h') => None,
            _ => Some(false),
        };
        Some(SoundPattern {
            slots,
            vowel_start,
            reading,
        })
    }

    /// A rough reading of the word as a Russian transcriber would write it, in key letters
    /// (Paul → pol, Mike → maik, Flake → fleik, Chris → kris): the vowels the pattern leaves
    /// open, guessed by the commonest English spellings. It orders the terms a pattern
    /// matches — the closest first — and never decides a match.
    pub fn reading(&self) -> &str {
        &self.reading
    }

    /// The reading of any word in plain Latin letters (see [`SoundPattern::reading`]), empty
    /// for other words.
    ///
    /// ```
    /// use kazsearch::analysis::sound::SoundPattern;
    /// assert_eq!(SoundPattern::guess("Paul"), "pol");
    /// assert_eq!(SoundPattern::guess("Mike"), "maik");
    /// assert_eq!(SoundPattern::guess("Jones"), "jons");
    /// ```
    pub fn guess(word: &str) -> String {
        sounds(word)
            .map(|s| s.iter().map(|s| s.reading).collect())
            .unwrap_or_default()
    }

    /// Slots reachable once `reached` are, skipping optional ones.
    fn closure(&self, mut reached: u32) -> u32 {
        for (i, slot) in self.slots.iter().enumerate() {
            if reached & (1 << i) != 0 && slot.optional {
                reached |= 1 << (i + 1);
            }
        }
        reached
    }

    /// The state before any byte.
    pub fn start(&self) -> SoundState {
        SoundState {
            reached: self.closure(1),
            last: 0,
            started: false,
        }
    }

    /// The state after one more byte of a term.
    pub fn step(&self, state: SoundState, b: u8) -> SoundState {
        const DEAD: SoundState = SoundState {
            reached: 0,
            last: 0,
            started: true,
        };
        if state.reached == 0 || !b.is_ascii_lowercase() {
            return DEAD;
        }
        let vowel = is_vowel(b);
        if !state.started && self.vowel_start.is_some_and(|v| v != vowel) {
            return DEAD;
        }
        if vowel {
            return SoundState {
                last: 0,
                started: true,
                ..state
            };
        }
        if b == state.last {
            return state;
        }
        let mut reached = 0;
        for (i, slot) in self.slots.iter().enumerate() {
            if state.reached & (1 << i) != 0 && slot.letters & bit(b) != 0 {
                reached |= 1 << (i + 1);
            }
        }
        SoundState {
            reached: self.closure(reached),
            last: b,
            started: true,
        }
    }

    /// True when the term read so far matches.
    pub fn is_match(&self, state: &SoundState) -> bool {
        state.started && state.reached & (1 << self.slots.len()) != 0
    }

    /// True while more bytes may still lead to a match.
    pub fn can_match(&self, state: &SoundState) -> bool {
        state.reached != 0
    }

    /// True when `term` (a key) matches.
    pub fn matches(&self, term: &str) -> bool {
        let state = term.bytes().fold(self.start(), |s, b| self.step(s, b));
        self.is_match(&state)
    }
}

/// The conventional Cyrillic transcriptions of a Latin word, as keys (Paul → pol, the key of
/// Пол; Mike → maik, of Майк), those that differ from the word's own key: the readings of its
/// sounds (the likeliest, [`SoundPattern::reading`], then with the first vowel's other
/// convention and with doubled consonants kept: Jack = Джек, Peter = Питер; then a second set
/// with an inner h spoken, an initial h read г and an initial j read й: Tehreek = Техрик,
/// Harvard = Гарвард, Jacobs = Якобс), for words long enough to guess
/// ([`SoundPattern::to_guess`]). The search counts them direct matches in Russian and Kazakh
/// articles: a reader calls Пол the same name as Paul, unlike a sound-alike a few edits away.
/// Empty for other words.
///
/// ```
/// use kazsearch::analysis::sound::transcriptions;
/// assert_eq!(transcriptions("Paul"), ["pol"]);
/// assert_eq!(transcriptions("Hunt"), ["hant", "gant", "gunt"]); // u as а or у
/// assert_eq!(transcriptions("Jack"), ["jek"]); // a short a as э (Джек)
/// assert_eq!(transcriptions("Harvard"), ["garvard"]); // its key is already its first reading
/// assert!(transcriptions("Martin").is_empty());
/// assert!(transcriptions("Тоқаев").is_empty());
/// ```
pub fn transcriptions(word: &str) -> Vec<String> {
    let Some(sounds) = sounds(word).filter(|_| long_enough(word)) else {
        return Vec::new();
    };
    let mut out = readings(&sounds);
    let Some(pattern) = SoundPattern::from_sounds(word, sounds) else {
        return Vec::new();
    };
    let mut folded = String::new();
    super::fold::fold(word, &mut folded);
    let mut key = String::new();
    super::key::key(&folded, &mut key);
    // A reading is checked against the word's sounds; one that reads an initial j as й
    // (a vowel in key letters) is checked as its дж reading, which the pattern knows, and
    // must keep [`MIN_J_READING`] letters.
    let j_first = word.starts_with(['j', 'J']);
    out.retain(|r| {
        *r != key
            && match r.strip_prefix('i').filter(|_| j_first) {
                Some(rest) => r.len() >= MIN_J_READING && pattern.matches(&format!("j{rest}")),
                None => pattern.matches(r),
            }
    });
    out
}

/// The transcriptions of a Latin word by the language of the articles searched (by
/// [`Lang::index`]; the search asks only the Cyrillic ones): [`transcriptions`], and in
/// Russian articles also each with its case ending stripped as an article word's key is
/// ([`super::key::strip`]), so that a transcription finds its inflections the way a key does
/// (Theresa = Тереза finds Терезы, Терезой, whose stripped key is terez). A stripped form must
/// keep [`MIN_STRIPPED`] letters.
pub fn transcription_terms(word: &str) -> [Vec<String>; 3] {
    let plain = transcriptions(word);
    let mut ru = plain.clone();
    for t in &plain {
        if let Some(s) = super::key::strip(t, Lang::Ru) {
            if s.len() >= MIN_STRIPPED && !ru.iter().any(|r| r == s) {
                ru.push(s.to_string());
            }
        }
    }
    let mut out = [plain.clone(), Vec::new(), plain];
    out[Lang::Ru.index()] = ru;
    out
}

/// True when a word has letters enough to guess from ([`MIN_LETTERS`]).
fn long_enough(word: &str) -> bool {
    word.chars().filter(char::is_ascii_alphabetic).count() >= MIN_LETTERS
}

/// Fewest letters a reading with an initial й keeps ([`transcriptions`]): a shorter one meets
/// common words (Jack would be iak, the key of як).
const MIN_J_READING: usize = 5;

/// Fewest letters a stripped transcription keeps ([`transcription_terms`]).
pub const MIN_STRIPPED: usize = 4;

/// True when the vowel before `w[i]` (an e before a final s) is long: a silent -es
/// (Jones, Jaynes), not a spoken one (Charles keeps it).
fn magic_before(w: &[u8], i: usize) -> bool {
    i >= 2 && !is_vowel(w[i - 1]) && is_vowel(w[i - 2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::key::key;

    /// English spellings and how Russian or Kazakh news transcribed them (as keys).
    #[test]
    fn transcriptions_match() {
        let mut k = String::new();
        for (en, cyr) in [
            ("Paul", "Пол"),
            ("Mike", "Майк"),
            ("Chris", "Крис"),
            ("Charles", "Чарльз"),
            ("Charlotte", "Шарлотта"),
            ("Jack", "Джек"),
            ("David", "Дэвид"),
            ("Jones", "Джонс"),
            ("Harvard", "Гарвард"),
            ("Houston", "Хьюстон"),
            ("Langley", "Лэнгли"),
            ("William", "Уильям"),
            ("Washington", "Вашингтон"),
            ("George", "Джордж"),
            ("Mueller", "Мюллер"),
            ("Feinstein", "Фейнштейн"),
            ("Spieth", "Спит"),
            ("Flake", "Флейк"),
            ("Kavanaugh", "Кавано"),
            ("Alleva", "Аллева"),
            ("Oregon", "Орегон"),
            ("Quebec", "Квебек"),
            ("Knight", "Найт"),
            ("Kim", "Ким"),
        ] {
            let mut folded = String::new();
            crate::analysis::fold::fold(cyr, &mut folded);
            key(&folded, &mut k);
            let p = SoundPattern::of(en).unwrap_or_else(|| panic!("{en}: no pattern"));
            assert!(p.matches(&k), "{en} should match {cyr} ({k}): {p:?}");
        }
    }

    /// Every conventional reading of a word, as keys: the first vowel's other convention and
    /// the doubled consonants kept are readings too (first_vowel_alt, readings).
    #[test]
    fn transcription_readings() {
        for (en, readings) in [
            ("Jack", &["jek"][..]),
            ("Thatcher", &["teqer"]),
            ("Sands", &["sends"]),
            ("Peter", &["piter"]),
            ("Steve", &["stev", "stiv"]),
            ("Steven", &["stiven"]),
            ("Hunt", &["hant", "gant", "gunt"]),
            (
                "Massachusetts",
                &["masaquzets", "massaquzetts", "mesaquzets", "messaquzetts"],
            ),
            // A long a keeps ей (Baker = Бейкер, not Беккер), an r-coloured one а; an open a
            // may be short (Kavanaugh = Кавано), and only the first is read long.
            ("Baker", &["beiker"]),
            ("Kavanaugh", &["keivano", "kavano"]),
            // ei and ai as ей or ай (Heiko = Хайко, Гайко).
            ("Heiko", &["geiko", "haiko", "gaiko"]),
            ("Wright", &["rait"]),
            ("Knight", &["nait"]),
            ("Harvard", &["garvard"]),
            ("Paul", &["pol"]),
            // w before a, and an a before l, keep а; an i keeps и (Chita is no Қайта).
            ("Washington", &["uawington"]),
            // tth is one т, once or twice (Matthew = Мэттью).
            ("Matthew", &["matiu", "mattiu", "metiu", "mettiu"]),
            // An h after a vowel inside a word is silent, or х (key k): Tehreek = Техрик;
            // a final one is silent (Utah has too few consonants to read at all).
            ("Tehreek", &["terik", "tekrik"]),
            // (mukammad is the word's own key, searched anyway.)
            ("Muhammad", &["muamad", "muammad", "mukamad"]),
            ("Sarah", &["sara"]),
            ("Utah", &[]),
            // An initial j before a vowel is дж, or й in a second set (Jacobs = Якобс).
            // (Its long-a reading keeps a й too; a reading of four letters or fewer does not:
            // Jack is never iak, the key of як.)
            ("Jacobs", &["jeikobs", "ieikobs", "iakobs"]),
            ("Juncker", &["janker", "ianker", "iunker"]),
            ("Albert", &[]),
            ("Chita", &[]),
        ] {
            assert_eq!(transcriptions(en), readings, "{en}");
        }
    }

    /// In Russian articles a transcription is also searched stripped, as an article word's key
    /// is, when four letters stay; never in Kazakh ones, whose endings keep the stem whole.
    #[test]
    fn transcription_terms_in_russian_strip_like_keys() {
        use crate::lang::Lang;
        for (en, lang, terms) in [
            ("Theresa", Lang::Ru, &["tereza", "terez"][..]),
            ("Theresa", Lang::Kk, &["tereza"]),
            // An initial open u as ю (Uniper = Юнипер); stripped, three letters would be too
            // few (Bellew's bel met Белый on names.tsv).
            ("Uniper", Lang::Ru, &["iuniper"]),
            ("Rosa", Lang::Ru, &["roza"]),
            ("Paul", Lang::Ru, &["pol"]),
            ("Paul", Lang::En, &["pol"]),
        ] {
            assert_eq!(
                transcription_terms(en)[lang.index()],
                terms,
                "{en} {lang:?}"
            );
        }
    }

    #[test]
    fn guesses() {
        for (en, guess) in [
            ("Paul", "pol"),
            ("Mike", "maik"),
            ("Flake", "fleik"),
            ("Jones", "jons"),
            ("Chris", "kris"),
            ("Charles", "qarles"),
            ("Steven", "steven"),
            ("Reed", "rid"),
            ("Baker", "beiker"),
            ("David", "deivid"),
            ("Bruce", "brius"),
            ("Spieth", "spit"),
            ("Knight", "nait"),
            ("William", "uiliam"),
            ("Hunt", "hant"),
            ("Justin", "jastin"),
            ("Muller", "muler"),
            ("Bush", "buw"),
            ("Burns", "burns"),
            ("Uzbek", "uzbek"),
            ("Rosa", "roza"),
            ("Joan", "joan"),
            ("Shaw", "wou"),
            ("Austin", "ostin"),
            ("Wilson", "uilson"),
            ("", ""),
        ] {
            assert_eq!(SoundPattern::guess(en), guess, "{en}");
        }
    }

    #[test]
    fn different_names_do_not() {
        for (en, term) in [
            ("Paul", "pavel"),
            ("Paul", "apollo"),
            ("Tokayev", "tokarev"),
            ("Mike", "mikhail"),
            ("Chris", "krisp"),
            ("David", "davis"),
            ("Harvard", "garvardt"),
            ("Jones", "jonson"),
            ("Kim", "kimbo"),
            ("Adams", "madams"),
            ("Paul", "пол"),
            ("Paul", "p0l"),
        ] {
            let p = SoundPattern::of(en).unwrap();
            assert!(!p.matches(term), "{en} must not match {term}: {p:?}");
        }
    }

    #[test]
    fn patterns_need_two_consonant_sounds_in_plain_latin() {
        for word in [
            "Lee",
            "Roe",
            "Ian",
            "Utah",
            "Iowa",
            "Ayr",
            "",
            "Тоқаев",
            "Qarağandy",
            "A1",
        ] {
            assert!(SoundPattern::of(word).is_none(), "{word}");
        }
        for word in ["Dan", "O'Brien", "Sam", "Ross"] {
            assert!(SoundPattern::of(word).is_some(), "{word}");
        }
    }

    #[test]
    fn stepping_never_panics_and_dead_stays_dead() {
        let p = SoundPattern::of("Christopher").unwrap();
        let mut s = p.start();
        for b in [0u8, 255, b'k', b'a', 200] {
            s = p.step(s, b);
        }
        assert!(!p.can_match(&s));
        assert!(!p.is_match(&p.step(s, b'r')));
    }
}
