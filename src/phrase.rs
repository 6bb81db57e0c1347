//! The tool's own words in reports, in the report's language.
//!
//! Rule packs bring their titles and messages in every language they support; the words
//! comply adds around them (statuses, "condition not met", "remedy") come from here. A
//! language with no entry falls back to English, like rule texts do.

/// English templates with their French forms; `{}` stands for an inserted value.
const FRENCH: &[(&str, &str)] = &[
    ("satisfied", "satisfaite"),
    ("violated", "violée"),
    ("unknown", "indéterminée"),
    ("not applicable", "non applicable"),
    ("blocked", "bloquée"),
    ("waived", "dérogation"),
    ("missing", "à déclarer"),
    ("remedy", "remède"),
    ("summary", "bilan"),
    ("packs", "référentiels"),
    ("as of", "au"),
    ("organisation", "organisation"),
    ("organisations", "organisations"),
    ("file", "fichier"),
    ("conflicting overrides", "remplacements en conflit"),
    (
        "no obligation applied to this declaration: nothing was checked",
        "aucune obligation ne s'applique à cette déclaration : rien n'a été vérifié",
    ),
    ("not in force until {}", "pas en vigueur avant le {}"),
    ("no longer in force since {}", "plus en vigueur depuis le {}"),
    ("pending: {}", "en attente : {}"),
    ("condition not met: {}", "condition non remplie : {}"),
    ("exempted: {}", "exemption : {}"),
    ("superseded by {}", "remplacée par {}"),
    ("waits for {}", "attend {}"),
    ("its prerequisite {} is unknown", "son préalable {} est indéterminé"),
    ("would be violated if it applies: {}", "serait violée si elle s'applique : {}"),
    (
        "its requirements hold whether or not it applies",
        "ses exigences sont remplies qu'elle s'applique ou non",
    ),
    ("the list it applies to is not stated", "la liste à laquelle elle s'applique n'est pas déclarée"),
    (
        "conflicting overrides: {} all apply; the packs must say which one governs",
        "remplacements en conflit : {} s'appliquent tous ; les référentiels doivent dire lequel prévaut",
    ),
    ("evidence needed: {}", "justificatif requis : {}"),
    ("evidence needed: {} expired on {}", "justificatif requis : {} a expiré le {}"),
    ("{} is not stated", "{} n'est pas déclaré"),
    ("{}: {}", "{} : {}"),
    ("division by zero", "division par zéro"),
    ("overflow", "dépassement de capacité"),
    ("operands of the wrong kind", "opérandes de types incompatibles"),
    ("unknown constant", "constante inconnue"),
    ("unknown predicate", "prédicat inconnu"),
    (
        "waived until {} (approved by {}): {}",
        "dérogation jusqu'au {} (approuvée par {}) : {}",
    ),
    (
        "… and {} more results blocked by `{}` (use --format json --results failing to list them all)",
        "… et {} autres résultats bloqués par `{}` (--format json --results failing les liste tous)",
    ),
    (
        "use --format json --results failing to list them all",
        "--format json --results failing les liste tous",
    ),
    (
        "use --format json --results failing to list the failing ones",
        "--format json --results failing liste ceux en échec",
    ),
    ("… and {} more items of `{}`{}{}", "… et {} autres éléments de `{}`{}{}"),
    ("… {} items of `{}`{}{}", "… {} éléments de `{}`{}{}"),
    (
        "evaluation stopped after {} expressions",
        "évaluation interrompue après {} expressions",
    ),
    ("yes", "oui"),
    ("no", "non"),
    ("none", "aucun"),
];

/// `organisation` or `organisations`, as `n` asks, in English: look it up with [`phrase`].
pub fn organisations(n: usize) -> &'static str {
    if n == 1 {
        "organisation"
    } else {
        "organisations"
    }
}

/// The template in a language.
pub fn phrase(lang: &str, english: &'static str) -> &'static str {
    if lang == "fr" {
        if let Some((_, fr)) = FRENCH.iter().find(|(en, _)| *en == english) {
            return fr;
        }
    }
    english
}

/// The template in a language with each `{}` replaced by the next value.
pub fn fill(lang: &str, english: &'static str, values: &[&str]) -> String {
    let template = phrase(lang, english);
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut rest = template;
    let mut values = values.iter();
    while let Some(at) = rest.find("{}") {
        out.push_str(rest.get(..at).unwrap_or(""));
        out.push_str(values.next().copied().unwrap_or(""));
        rest = rest.get(at + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_fills_placeholders_and_other_languages_fall_back() {
        assert_eq!(
            fill("fr", "waits for {}", &["dp.register"]),
            "attend dp.register"
        );
        assert_eq!(
            fill("km", "waits for {}", &["dp.register"]),
            "waits for dp.register"
        );
        assert_eq!(phrase("fr", "violated"), "violée");
    }

    #[test]
    fn every_french_template_keeps_its_placeholders() {
        for (en, fr) in FRENCH {
            assert_eq!(en.matches("{}").count(), fr.matches("{}").count(), "{en}");
        }
    }
}
