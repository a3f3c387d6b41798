//! PLACEHOLDER until the real module lands.
use crate::lang::Lang;
/// Skeleton key.
pub fn key(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        let s = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "j",
            'з' => "z",
            'и' | 'й' | 'і' | 'ы' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "h",
            'ц' => "c",
            'ч' => "ch",
            'ш' | 'щ' => "sh",
            'ю' => "iu",
            'я' => "ia",
            'y' => "i",
            'q' => "k",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(s);
    }
    if let Some(p) = out.find("aie") {
        out.replace_range(p..p + 3, "ae");
    }
}
/// Strip.
pub fn strip(key: &str, lang: Lang) -> Option<&str> {
    let ends: &[&str] = match lang {
        Lang::Kk => &["tin", "din", "nin", "ka", "ga", "da", "ta"],
        Lang::Ru => &["a", "u", "im", "oi"],
        Lang::En => &[],
    };
    ends.iter()
        .find_map(|e| key.strip_suffix(e).filter(|s| s.len() >= 4))
}
