//! Issue 3: any spelling finds every article — cross-script, inflection-aware name matching,
//! aliases, keyboard layouts, explain/highlight — on the sample corpus, and the judged
//! development set when ../shared is present.

use std::collections::BTreeMap;

use kazsearch::eval::{self, Baseline};
use kazsearch::search::{Engine, SearchParams, SearchResponse};

use crate::common::{shared_data, SampleIndex};

fn search(engine: &Engine, q: &str) -> SearchResponse {
    engine
        .search(&SearchParams {
            limit: 50,
            ..SearchParams::new(q)
        })
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// An engine over a fresh index of `records` (in a temp dir kept alive by the first value).
pub(crate) fn engine_over(
    records: impl Iterator<Item = kazsearch::error::Result<kazsearch::ingest::Record>>,
) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let idx = kazsearch::store::IndexDir::new(dir.path().join("idx"));
    kazsearch::store::writer::rebuild(
        &idx,
        records,
        &Default::default(),
        &kazsearch::lang::Detector::new(),
        &mut |e| panic!("{e}"),
        &mut |_| {},
    )
    .unwrap();
    let engine = Engine::open(idx, kazsearch::search::alias::Aliases::builtin()).unwrap();
    (dir, engine)
}

fn ids(r: &SearchResponse) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

/// The sample's articles about Tokayev (written for the project: kk, ru, en, kk Latin).
const TOKAYEV: &[&str] = &[
    "kk-001",
    "kk-013",
    "kk-015",
    "kk-016",
    "ru-001",
    "ru-013",
    "en-001",
    "en-013",
    "kk-latn-01",
];
/// The sample's articles about the engineer Tokarev (one letter away).
const TOKAREV: &[&str] = &["ru-015", "en-016"];

#[test]
fn every_spelling_of_tokayev_finds_every_article() {
    let s = SampleIndex::new();
    for q in [
        "Тоқаев",
        "Токаев",
        "Tokayev",
        "Toqaev",
        "Tokaev",
        "Tokajew",
        "Tokaïev",
        "тоқаевтың",
        "Токаева",
        "TOKAYEV",
    ] {
        let r = search(&s.engine, q);
        let got = ids(&r);
        for want in TOKAYEV {
            assert!(got.contains(want), "{q}: {want} missing from {got:?}");
        }
        // Every Токаев article ranks above any Токарев one, and those are marked as near
        // spellings.
        let last_right = got.iter().rposition(|id| TOKAYEV.contains(id)).unwrap();
        for h in &r.hits {
            assert_eq!(
                h.near,
                TOKAREV.contains(&h.id.as_str()),
                "{q}: {} near={}",
                h.id,
                h.near
            );
        }
        for wrong in TOKAREV {
            if let Some(p) = got.iter().position(|id| id == wrong) {
                assert!(
                    p > last_right,
                    "{q}: {wrong} at {p} above a Tokayev article: {got:?}"
                );
            }
        }
    }
}

#[test]
fn places_in_every_script_and_inflection() {
    let s = SampleIndex::new();
    // (query, articles that must be found)
    let cases: &[(&str, &[&str])] = &[
        (
            "Karaganda",
            &["kk-001", "kk-003", "ru-001", "ru-016", "en-001", "en-003"],
        ),
        ("Қарағандыда", &["kk-001", "ru-001", "en-001"]),
        ("Qarağandy", &["kk-001", "ru-001", "en-001", "kk-latn-02"]),
        ("Shymkent", &["kk-005", "ru-005", "en-005"]),
        ("Жаңаөзен", &["kk-011", "ru-011", "en-011"]),
        ("Zhanaozen", &["kk-011", "ru-011", "en-011"]),
        (
            "Кызылорда",
            &["kk-004", "kk-014", "ru-004", "en-004", "kk-latn-03"],
        ),
        ("Baikonur", &["kk-012", "ru-012", "en-012", "kk-latn-03"]),
        ("Назарбаевым", &["kk-010", "ru-010", "en-010"]),
        (
            "Nazarbayev",
            &["kk-010", "kk-013", "ru-010", "ru-013", "en-010"],
        ),
        ("Aral", &["kk-004", "ru-004", "en-004", "kk-latn-03"]),
    ];
    for (q, want) in cases {
        let r = search(&s.engine, q);
        let got = ids(&r);
        for w in *want {
            assert!(got.contains(w), "{q}: {w} missing from {got:?}");
        }
    }
}

#[test]
fn exact_spelling_ranks_first() {
    let s = SampleIndex::new();
    // The articles that write the name exactly as typed come before those that write it in
    // another script or romanization.
    for (q, lang) in [("Тоқаев", "kk"), ("Токаев", "ru"), ("Tokayev", "en")] {
        let r = search(&s.engine, q);
        assert_eq!(r.hits[0].lang.code(), lang, "{q}: {:?}", ids(&r));
        assert!(
            r.hits[0].matched.iter().any(|m| m == q),
            "{q}: {:?}",
            r.hits[0].matched
        );
    }
}

#[test]
fn aliases_join_renamed_places_and_rank_below_the_name_as_typed() {
    let s = SampleIndex::new();
    let cases: &[(&str, &[&str])] = &[
        ("Uralsk", &["kk-007", "ru-007", "en-007"]),
        ("Орал", &["kk-007", "ru-007", "en-007"]),
        ("Ust-Kamenogorsk", &["kk-008", "ru-008", "en-008"]),
        ("Өскемен", &["kk-008", "ru-008", "en-008"]),
        ("Aktyubinsk", &["kk-006", "ru-006", "en-006"]),
        ("Semipalatinsk", &["kk-010", "ru-010", "en-010"]),
        (
            "Alma-Ata",
            &["kk-002", "ru-002", "en-002", "en-014", "ru-014"],
        ),
        (
            "Nur-Sultan",
            &["kk-013", "ru-013", "en-013", "kk-003", "en-003"],
        ),
    ];
    for (q, want) in cases {
        let got = search(&s.engine, q);
        let got = ids(&got);
        for w in *want {
            assert!(got.contains(w), "{q}: {w} missing from {got:?}");
        }
    }
    // A user's alias file adds groups.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.txt");
    std::fs::write(&file, "Dala = Steppe\n").unwrap();
    let aliases = kazsearch::search::alias::Aliases::with_file(&file).unwrap();
    let a = aliases.alternatives(&kazsearch::search::query::Unit {
        words: vec!["Steppe".into()],
        quoted: false,
    });
    assert!(a.iter().any(|x| x.unit.words == ["Dala"]));
}

#[test]
fn a_quoted_name_is_exact_without_aliases_or_guesses() {
    let s = SampleIndex::new();
    for q in [r#""Nur-Sultan""#, r#""Astana""#, r#""Tokayev""#] {
        let quoted = search(&s.engine, q);
        let open = search(&s.engine, q.trim_matches('"'));
        assert!(quoted.total <= open.total, "{q}");
        let words: Vec<String> = q
            .trim_matches('"')
            .split('-')
            .map(|w| {
                let mut k = String::new();
                kazsearch::analysis::key::key(&w.to_lowercase(), &mut k);
                k
            })
            .collect();
        for hit in &quoted.hits {
            assert!(!hit.near, "{q}: {} is a guess", hit.id);
            // Every highlighted word is one of the query's words in some script or form.
            for m in &hit.matched {
                let mut k = String::new();
                kazsearch::analysis::key::key(&m.to_lowercase(), &mut k);
                assert!(
                    words.iter().any(|w| k.starts_with(&w[..w.len().min(4)])),
                    "{q}: {} matched {m}",
                    hit.id
                );
            }
        }
    }
}

#[test]
fn wrong_keyboard_layout_is_corrected_and_said() {
    let s = SampleIndex::new();
    for (typed, meant) in [
        ("Nj0ftd", "Тоқаев"),
        ("Njrftd", "Токаев"),
        ("Fkvfns", "Алматы"),
        ("ещлфнум", "tokayev"),
    ] {
        let r = search(&s.engine, typed);
        let c = r
            .corrected
            .as_ref()
            .unwrap_or_else(|| panic!("{typed}: not corrected"));
        assert_eq!(c.from, typed);
        assert_eq!(c.to, meant);
        assert_eq!(r.query, meant);
        assert!(r.total >= 3, "{typed}: {}", r.total);
    }
    // A query that finds plenty as typed is left alone.
    assert!(search(&s.engine, "Tokayev").corrected.is_none());
}

#[test]
fn matched_words_and_marks_are_in_the_original_script() {
    let s = SampleIndex::new();
    let r = search(&s.engine, "Tokayev");
    let kk = r.hits.iter().find(|h| h.id == "kk-001").unwrap();
    assert!(
        kk.matched.iter().any(|m| m == "Тоқаевтың"),
        "{:?}",
        kk.matched
    );
    let doc = s.engine.doc("kk-001", Some("Tokayev")).unwrap();
    let body = doc.body_html.unwrap();
    for w in ["Тоқаевқа", "Тоқаевтың"] {
        assert!(
            body.contains(&format!("<mark>{w}</mark>")),
            "{w} not marked in {body}"
        );
    }
    let ru = r.hits.iter().find(|h| h.id == "ru-001").unwrap();
    for w in ["Токаеву", "Токаева"] {
        assert!(
            ru.matched.iter().any(|m| m == w),
            "{w} not in {:?}",
            ru.matched
        );
    }
}

#[test]
fn eval_scores_a_judged_file_against_the_baseline() {
    let s = SampleIndex::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"qid":"1","query":"Toqaev","kind":"kk-bgn","relevant":["kk-001","ru-001","en-001"],"decoys":["ru-015"],"unjudged":[]}"#,
            r#"{"qid":"2","query":"Uralsk","kind":"ru-press","relevant":["kk-007","ru-007","en-007"],"decoys":[],"unjudged":[]}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let qs = eval::read_queries(&file).unwrap();
    let baseline = Baseline::build(&s.engine.snapshot()).unwrap();
    let report = eval::run(&*s.engine, &qs, Some(&baseline)).unwrap();
    let (ours, base) = &report.kinds["all"];
    assert_eq!(ours.n, 2);
    assert_eq!(ours.recall, 1.0, "{report:?}");
    assert_eq!(ours.decoy_first, 0.0);
    assert!(
        base.recall < 0.7,
        "the plain baseline cannot join scripts: {base:?}"
    );
}

/// English names as Russian and Kazakh news transcribe them: the conventional transcription
/// (Пол for Paul) is a direct match, below the name as typed and not marked near; a sound-alike
/// a few letters off (Палу) is a guess, marked near, below it; a different name (Павел) never.
#[test]
fn english_names_find_their_cyrillic_transcriptions() {
    let articles = [
        r#"{"id":"en-paul","lang":"en","title":"Paul McCartney in London","body":"Paul McCartney played in London on Friday."}"#,
        r#"{"id":"ru-paul","lang":"ru","title":"Концерт","body":"Музыкант Пол Маккартни выступил в Лондоне. Пола встретили овацией."}"#,
        r#"{"id":"kk-paul","lang":"kk","title":"Концерт","body":"Әнші Пол Маккартни Лондонда өнер көрсетті. Полдың концерті ұзаққа созылды."}"#,
        r#"{"id":"ru-palu","lang":"ru","title":"Землетрясение","body":"В городе Палу на острове Сулавеси произошло землетрясение."}"#,
        r#"{"id":"ru-pavel","lang":"ru","title":"Дуров","body":"Павел Дуров рассказал о новом приложении."}"#,
    ]
    .join("\n");
    let (_dir, engine) =
        engine_over(kazsearch::ingest::read_str("names.jsonl", &articles).into_iter());
    let r = search(&engine, "Paul");
    let got = ids(&r);
    assert_eq!(got.first(), Some(&"en-paul"), "{got:?}");
    assert!(!r.hits[0].near);
    let pos = |id: &str| got.iter().position(|g| *g == id);
    for id in ["ru-paul", "kk-paul"] {
        let p = pos(id).unwrap_or_else(|| panic!("{id} missing: {got:?}"));
        assert!(
            !r.hits[p].near,
            "{id}: Пол is Paul's transcription, no guess"
        );
        assert!(
            pos("ru-palu").is_none_or(|palu| p < palu),
            "{id} after Палу: {got:?}"
        );
        let matched = r.hits[p].matched.join(" ");
        assert!(matched.contains("Пол"), "{id}: matched {matched}");
        assert!(
            r.hits[p].snippet.contains("<mark>Пол"),
            "{}",
            r.hits[p].snippet
        );
    }
    if let Some(palu) = pos("ru-palu") {
        assert!(r.hits[palu].near, "Палу is a guess: {got:?}");
    }
    assert!(pos("ru-pavel").is_none(), "Павел is another name: {got:?}");
    // Two words, each transcribed.
    let got = ids(&search(&engine, "Paul McCartney")).join(" ");
    assert!(got.contains("ru-paul") && got.contains("kk-paul"), "{got}");
    // Cyrillic and exact queries are not guessed at.
    let got = ids(&search(&engine, "Павел")).join(" ");
    assert_eq!(got, "ru-pavel");
}

/// Near spellings in English articles only where the name as typed finds none: Sharon, found
/// in English, does not guess "warned" (its stem warn is one edit from Sharon's key), and a
/// misspelt Sharonn, found nowhere, still finds Sharon.
#[test]
fn english_near_spellings_only_where_the_name_is_not_found() {
    let articles = [
        r#"{"id":"en-sharon","lang":"en","title":"Sharon Stone visits Almaty","body":"The actress Sharon Stone arrived in Almaty on Monday."}"#,
        r#"{"id":"en-warn","lang":"en","title":"Storm","body":"Forecasters warned of heavy snow in the mountains."}"#,
    ]
    .join("\n");
    let (_dir, engine) =
        engine_over(kazsearch::ingest::read_str("near.jsonl", &articles).into_iter());
    for (q, want) in [("Sharon", &["en-sharon"][..]), ("Sharonn", &["en-sharon"])] {
        let r = search(&engine, q);
        assert_eq!(ids(&r), want, "{q}");
    }
}

/// The judged development set (../shared/data/eval): capped recall@10 ≥ 0.95 on every kind but
/// en-cyr and ntrex-en, decoys above the right name in under 2 % of the queries with decoys.
#[test]
fn dev_set_quality_targets() {
    let Some(data) = shared_data() else { return };
    let (_dir, engine) = engine_over(kazsearch::ingest::Reader::new(vec![
        data.join("eval/corpus-eval.jsonl")
    ]));
    let qs = eval::read_queries(&data.join("eval/dev-queries.jsonl")).unwrap();
    let report = eval::run(&engine, &qs, None).unwrap();
    let mut below = BTreeMap::new();
    for (kind, (s, _)) in &report.kinds {
        eprintln!(
            "{kind:<12} n={:<4} recall@10={:.3} mrr={:.3} decoy>rel={:.3}",
            s.n, s.recall, s.mrr, s.decoy_first
        );
        if !["en-cyr", "ntrex-en", "all"].contains(&kind.as_str()) && s.recall < 0.95 {
            below.insert(kind.clone(), s.recall);
        }
    }
    assert!(below.is_empty(), "kinds below 0.95: {below:?}");
    // The frontier kinds, kept from slipping back (0.88 and 0.74 when this was written).
    assert!(report.kinds["en-cyr"].0.recall >= 0.85, "en-cyr slipped");
    assert!(
        report.kinds["ntrex-en"].0.recall >= 0.70,
        "ntrex-en slipped"
    );
    assert!(report.kinds["all"].0.decoy_first < 0.02);
}
