//! Special categories of personal data (GDPR Art. 9(1)) and criminal offences (Art. 10),
//! flagged as *candidates* for the user to confirm — they cannot be validated by a
//! pattern (PRIVACY_RISK §6.2). Evidence comes from three places:
//! - the column's **role** (`protected` in the spec or `[bias]`), which supports a
//!   category found otherwise, or alone makes an `unspecified` candidate (unless the name
//!   says sex, gender or age, which are not special categories);
//! - the column's **name**: whole-word tokens (see [`super::header`]) from the lists below,
//!   in English, German, French, Spanish and Dutch;
//! - its **values** (categorical columns): the share of non-missing values that are terms
//!   of a small vocabulary (whole value, lower-cased; for health and criminal offences also
//!   any word of a multi-word value), flagged when at least half are and at least two
//!   distinct terms occur, one of them not ambiguous (`white`, `black`, `other`, `green`,
//!   `independent`, `straight` alone say nothing); and ICD-10-shaped codes (`E11.9`,
//!   `I10`: a letter other than U, two digits or a digit and A/B, optionally `.` and 1–4
//!   more) when at least 80 % of values have that shape and at least a fifth of them carry
//!   the dot.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Number of [`Category`] values with a vocabulary or header list (all but `Unspecified`).
pub const N_CATEGORIES: usize = 9;

/// A special category (Art. 9) or criminal offences (Art. 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Racial or ethnic origin.
    RacialOrEthnicOrigin,
    /// Political opinions.
    PoliticalOpinions,
    /// Religious or philosophical beliefs.
    ReligiousOrPhilosophicalBeliefs,
    /// Trade-union membership.
    TradeUnionMembership,
    /// Genetic data.
    GeneticData,
    /// Biometric data (when processed to identify a person).
    BiometricData,
    /// Data concerning health.
    Health,
    /// Sex life or sexual orientation.
    SexLifeOrSexualOrientation,
    /// Criminal convictions and offences (Art. 10, a separate regime).
    CriminalOffences,
    /// A declared protected attribute whose category the name and values do not tell.
    Unspecified,
}

impl Category {
    /// The categories with lists, in report order.
    pub const LISTED: [Category; N_CATEGORIES] = [
        Category::RacialOrEthnicOrigin,
        Category::PoliticalOpinions,
        Category::ReligiousOrPhilosophicalBeliefs,
        Category::TradeUnionMembership,
        Category::GeneticData,
        Category::BiometricData,
        Category::Health,
        Category::SexLifeOrSexualOrientation,
        Category::CriminalOffences,
    ];
    /// Index in [`Category::LISTED`].
    pub fn index(self) -> usize {
        self as usize
    }
    /// The GDPR article: 9, or 10 for criminal offences.
    pub fn article(self) -> u8 {
        if self == Category::CriminalOffences {
            10
        } else {
            9
        }
    }
    /// Words for people.
    pub fn title(self) -> &'static str {
        match self {
            Category::RacialOrEthnicOrigin => "racial or ethnic origin",
            Category::PoliticalOpinions => "political opinions",
            Category::ReligiousOrPhilosophicalBeliefs => "religious or philosophical beliefs",
            Category::TradeUnionMembership => "trade-union membership",
            Category::GeneticData => "genetic data",
            Category::BiometricData => "biometric data",
            Category::Health => "data concerning health",
            Category::SexLifeOrSexualOrientation => "sex life or sexual orientation",
            Category::CriminalOffences => "criminal convictions and offences",
            Category::Unspecified => "a declared protected attribute (category not recognised)",
        }
    }
    /// Header words (whole tokens or runs of tokens).
    pub fn header_words(self) -> &'static str {
        match self {
            Category::RacialOrEthnicOrigin => {
                "race|ethnicity|ethnic|ethnie|ethnic origin|raza|etnia|etnicidad|\
                etniciteit|afkomst|origine ethnique"
            }
            Category::PoliticalOpinions => {
                "political|politics|political party|party affiliation|politik|politique|\
                politica|politiek|partei|partij|partido|voted|voting"
            }
            Category::ReligiousOrPhilosophicalBeliefs => {
                "religion|religious|faith|belief|beliefs|denomination|\
                konfession|religie|geloof|croyance|creencia|religiao"
            }
            Category::TradeUnionMembership => {
                "trade union|tradeunion|union member|union membership|labor union|\
                labour union|gewerkschaft|syndicat|syndical|sindicato|sindical|vakbond|vakbondslid"
            }
            Category::GeneticData => "genetic|genetics|genotype|genome|genomic|dna|genetisch|genetique|genetico",
            Category::BiometricData => {
                "biometric|biometrics|fingerprint|fingerprints|iris|retina|faceprint|\
                voiceprint|face template|facial recognition|biometrie|biometrisch|biometrique|biometrico"
            }
            Category::Health => {
                "health|diagnosis|diagnoses|diagnostic|disease|diseases|illness|medical|medication|\
                medications|icd|icd10|icd9|disability|hiv|pregnancy|pregnant|mental health|symptom|symptoms|\
                prescription|bmi|gesundheit|diagnose|krankheit|behinderung|sante|maladie|handicap|salud|\
                diagnostico|enfermedad|discapacidad|gezondheid|ziekte|medisch|medizinisch"
            }
            Category::SexLifeOrSexualOrientation => {
                "sexual|sexuality|sexual orientation|lgbt|lgbtq|lgbtqi|\
                sexualitat|sexualite|sexualidad|seksualiteit|geaardheid|orientation sexuelle"
            }
            Category::CriminalOffences => {
                "criminal|crime|crimes|offense|offence|offenses|offences|conviction|\
                convictions|convicted|arrest|arrests|arrested|jail|prison|custody|incarceration|incarcerated|\
                recidivism|recid|felony|felonies|misdemeanor|misdemeanour|parole|probation|straftat|vorstrafe|\
                vorstrafen|verurteilung|casier judiciaire|condamnation|infraction|delito|condena|\
                antecedentes penales|veroordeling|strafblad|misdrijf"
            }
            Category::Unspecified => "",
        }
    }
}

/// Value vocabularies: (category, terms); a leading `~` marks an ambiguous term.
const VOCAB: &[(Category, &str)] = &[
    (
        Category::RacialOrEthnicOrigin,
        "african-american|african american|afro-american|~black|~white|caucasian|\
        hispanic|latino|latina|latinx|hispanic or latino|asian|asian-american|asian american|native american|\
        american indian|alaska native|american indian or alaska native|pacific islander|native hawaiian|\
        native hawaiian or other pacific islander|two or more races|multiracial|~mixed|mixed race|biracial|arab|\
        middle eastern|indigenous|aboriginal|first nations|roma|~other|white british|black british|asian british|\
        black or african american|asian-pac-islander|amer-indian-eskimo|non-hispanic white|non-hispanic black|\
        not hispanic or latino",
    ),
    (
        Category::PoliticalOpinions,
        "democrat|democratic|republican|conservative|labour|socialist|communist|\
        libertarian|social democrat|christian democrat|liberal democrat|~liberal|~green|~greens|~independent|\
        far left|far right",
    ),
    (
        Category::ReligiousOrPhilosophicalBeliefs,
        "christian|christianity|catholic|roman catholic|protestant|\
        ~orthodox|evangelical|baptist|methodist|lutheran|anglican|mormon|jehovah's witness|muslim|islam|sunni|shia|\
        jewish|judaism|hindu|hinduism|buddhist|buddhism|sikh|sikhism|jain|bahai|atheist|agnostic|no religion|\
        ~other|pagan|shinto|taoist",
    ),
    (
        Category::Health,
        "diabetes|hypertension|asthma|cancer|hiv|aids|depression|anxiety|schizophrenia|bipolar|copd|\
        dementia|alzheimer's|alzheimers|epilepsy|obesity|~stroke|tuberculosis|hepatitis|covid-19|influenza|\
        arthritis|autism|adhd|pregnant",
    ),
    (
        Category::SexLifeOrSexualOrientation,
        "heterosexual|homosexual|gay|lesbian|bisexual|~straight|queer|asexual|\
        pansexual|lgbt|lgbtq",
    ),
    (
        Category::CriminalOffences,
        "felony|misdemeanor|misdemeanour|assault|battery|theft|burglary|robbery|larceny|\
        homicide|murder|manslaughter|fraud|trafficking|possession|dui|dwi|arson|vandalism|kidnapping|trespass|\
        shoplifting|cocaine|heroin|cannabis|marijuana|probation|parole|conviction|offense|offence|arrest|warrant|\
        stalking",
    ),
];

/// A vocabulary term: its category, index within the category, and whether it is
/// unambiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// Category.
    pub category: Category,
    /// Index of the term in its category's list (< 64).
    pub index: u8,
    /// False for ambiguous terms (`white`, `other`).
    pub strong: bool,
}

fn table() -> &'static HashMap<&'static [u8], Term, crate::sketch::fast_hash::MixBuild> {
    static T: OnceLock<HashMap<&'static [u8], Term, crate::sketch::fast_hash::MixBuild>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::default();
        for (category, terms) in VOCAB {
            for (i, t) in terms.split('|').enumerate() {
                let strong = !t.starts_with('~');
                let term = Term { category: *category, index: i as u8, strong };
                // The first category listing a word keeps it (`other`: race).
                m.entry(t.trim_start_matches('~').as_bytes()).or_insert(term);
            }
        }
        m
    })
}

/// Bits of the strong terms of a category (for "at least one unambiguous term").
pub fn strong_mask(category: Category) -> u64 {
    VOCAB
        .iter()
        .filter(|(c, _)| *c == category)
        .flat_map(|(_, terms)| terms.split('|').enumerate())
        .filter(|(_, t)| !t.starts_with('~'))
        .fold(0u64, |m, (i, _)| m | 1 << i)
}

/// Categories whose strong terms also count as words inside a longer value.
fn word_level(c: Category) -> bool {
    matches!(c, Category::Health | Category::CriminalOffences)
}

/// The vocabulary term a value is, or contains as a word (health, criminal offences).
/// `value` is trimmed; values over 200 bytes or with non-ASCII letters are not looked up.
pub fn lookup(value: &[u8]) -> Option<Term> {
    if value.len() > 200 || value.is_empty() || !value.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 200];
    let low = &mut buf[..value.len()];
    low.copy_from_slice(value);
    low.make_ascii_lowercase();
    let t = table();
    if let Some(term) = t.get(&*low) {
        return Some(*term);
    }
    if !low.contains(&b' ') {
        return None;
    }
    low.split(|b| !b.is_ascii_alphanumeric() && *b != b'\'' && *b != b'-')
        .filter(|w| w.len() >= 3)
        .filter_map(|w| t.get(w))
        .find(|term| term.strong && word_level(term.category))
        .copied()
}

/// ICD-10 shape: (shaped, with the dot). `value` is trimmed.
pub fn icd10(value: &[u8]) -> (bool, bool) {
    let (head, tail) = match value.iter().position(|&b| b == b'.') {
        Some(i) => (&value[..i], Some(&value[i + 1..])),
        None => (value, None),
    };
    let head_ok = head.len() == 3
        && head[0].is_ascii_uppercase()
        && head[0] != b'U'
        && head[1].is_ascii_digit()
        && (head[2].is_ascii_digit() || head[2] == b'A' || head[2] == b'B');
    let tail_ok = tail
        .is_none_or(|t| (1..=4).contains(&t.len()) && t.iter().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    let ok = head_ok && tail_ok;
    (ok, ok && tail.is_some())
}

/// The categories a column name's tokens name, each with the word found.
pub fn from_header(tokens: &[String]) -> Vec<(Category, &'static str)> {
    Category::LISTED.iter().filter_map(|&c| super::header::find(tokens, c.header_words()).map(|w| (c, w))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_and_words() {
        let t = lookup(b"African-American").unwrap();
        assert_eq!((t.category, t.strong), (Category::RacialOrEthnicOrigin, true));
        assert!(!lookup(b"White").unwrap().strong);
        assert_eq!(lookup(b"Aggravated Assault w/Firearm").map(|t| t.category), Some(Category::CriminalOffences));
        assert_eq!(lookup(b"Type 2 diabetes").map(|t| t.category), Some(Category::Health));
        assert_eq!(lookup(b"north"), None);
        assert_eq!(lookup(b"White Sox fan"), None); // race terms only count as the whole value
        assert_eq!(strong_mask(Category::RacialOrEthnicOrigin) & (1 << 3), 0); // ~black
        assert!(VOCAB.iter().all(|(_, terms)| terms.split('|').count() <= 64));
    }

    #[test]
    fn icd10_shapes() {
        assert_eq!(icd10(b"E11.9"), (true, true));
        assert_eq!(icd10(b"I10"), (true, false));
        assert_eq!(icd10(b"O09.A1"), (true, true));
        assert_eq!(icd10(b"U07.1"), (false, false));
        assert_eq!(icd10(b"E1.9"), (false, false));
        assert_eq!(icd10(b"E11."), (false, false));
    }

    #[test]
    fn header_categories() {
        let t = super::super::header::tokens("c_offense_date");
        assert_eq!(from_header(&t), vec![(Category::CriminalOffences, "offense")]);
        let t = super::super::header::tokens("race");
        assert_eq!(from_header(&t), vec![(Category::RacialOrEthnicOrigin, "race")]);
        assert!(from_header(&super::super::header::tokens("races_won")).is_empty());
        assert!(from_header(&super::super::header::tokens("trace_id")).is_empty());
    }
}
