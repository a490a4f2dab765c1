//! What a column's name says: header context for the detectors, quasi-identifier hints
//! and the words that turn a detector off.
//!
//! Names are split into whole-word tokens — at every character that is not a letter or
//! digit and at lower→upper case changes (`firstName`, `DOB`, `date_of_birth`, `E-Mail`) —
//! lower-cased, with Latin accents removed (`prénom` → `prenom`). A hint matches only a
//! whole token or a run of whole tokens, never a substring (PRIVACY_RISK §8.12: Presidio's
//! substring matching finds `lic` in `duplicate`). Vocabularies are English, German,
//! French, Spanish and Dutch where the word is cheap to list.

use super::kinds::Kind;

/// Splits a column name into lower-case ASCII-folded whole-word tokens.
pub fn tokens(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    let chars: Vec<char> = name.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if !ch.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        let upper = ch.is_uppercase();
        // firstName → first|name; ZIPCode → zip|code.
        let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
        let prev_upper = i > 0 && chars[i - 1].is_uppercase();
        if upper && !cur.is_empty() && (prev_lower || (prev_upper && next_lower)) {
            out.push(std::mem::take(&mut cur));
        }
        for l in ch.to_lowercase() {
            push_folded(&mut cur, l);
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Pushes `c` with Latin diacritics removed (`é` → `e`, `ß` → `ss`).
fn push_folded(out: &mut String, c: char) {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ä' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => {
            out.push_str("ss");
            return;
        }
        other => other,
    };
    out.push(plain);
}

/// True when `phrase` (space-separated words) occurs as a run of whole tokens.
pub fn has_phrase(tokens: &[String], phrase: &str) -> bool {
    let words: Vec<&str> = phrase.split(' ').collect();
    tokens.windows(words.len()).any(|w| w.iter().zip(&words).all(|(a, b)| a == b))
}

/// The first phrase of `list` (phrases separated by `|`) the tokens hold.
pub fn find(tokens: &[String], list: &'static str) -> Option<&'static str> {
    list.split('|').find(|p| has_phrase(tokens, p))
}

/// Header words per kind (a kind is "in context" when its column name holds one).
const KIND_WORDS: &[(Kind, &str)] = &[
    (Kind::Email, "email|e mail|mail|emailaddress|mailaddress|courriel|correo|emails"),
    (
        Kind::Phone,
        "phone|telephone|tel|mobile|cell|cellphone|phonenumber|telefon|telefoon|telefono|fax|mobil|movil|\
        gsm|portable|handynummer|phones",
    ),
    (Kind::Iban, "iban|bank account|kontonummer|rekeningnummer"),
    (Kind::PaymentCard, "card|credit card|creditcard|cc number|pan|kreditkarte|carte|tarjeta"),
    (Kind::UsSsn, "ssn|social security|socialsecurity|ssnumber"),
    (Kind::UkNino, "nino|national insurance|ni number"),
    (Kind::UkNhs, "nhs"),
    (Kind::NlBsn, "bsn|burgerservicenummer|sofinummer"),
    (Kind::SePersonnummer, "personnummer|pnr"),
    (Kind::InAadhaar, "aadhaar|aadhar|uidai"),
    (Kind::BrCpf, "cpf"),
    (Kind::EsDni, "dni|nif"),
    (Kind::EsNie, "nie"),
    (Kind::FrNir, "nir|insee|securite sociale|secu"),
    (Kind::DeSteuerId, "steuerid|steuer id|idnr|steueridentifikationsnummer|steuer identifikationsnummer"),
    (Kind::Ipv4, "ip|ipaddress|ip address|ipv4|ipaddr"),
    (Kind::Ipv6, "ip|ipaddress|ip address|ipv6|ipaddr"),
    (Kind::Mac, "mac|macaddress|mac address"),
    (Kind::Url, "url|uri|website|homepage|link|web site|webpage|profile url"),
    (
        Kind::BirthDate,
        "dob|birth|birthdate|birthday|born|geburtsdatum|geburtstag|geboren|naissance|nacimiento|\
        geboortedatum|geboorte|fecha nacimiento",
    ),
    (
        Kind::PostalCode,
        "zip|zipcode|zip code|postcode|post code|postal|postalcode|plz|postleitzahl|code postal|\
        codepostal|codigo postal|postnummer|zip5|zip3",
    ),
];

/// Words that name a person's name.
const NAME_WORDS: &str =
    "name|names|fullname|full name|first name|last name|firstname|lastname|surname|surnames|forename|forenames|\
        given name|givenname|family name|familyname|middle name|maiden name|vorname|nachname|familienname|nom|\
        prenom|nom de famille|apellido|apellidos|nombre|nombres|voornaam|achternaam|naam";
/// `first` and `last` name a person's name only as the whole column name.
const NAME_ALONE: &str = "first|last|given|family";
/// Words that make `name` something else's name (`file_name`, `product name`).
const NOT_A_PERSON: &str =
    "file|filename|product|company|business|organisation|organization|org|host|hostname|domain|brand|item|city|\
        street|country|region|state|county|district|column|table|field|project|app|application|package|model|\
        device|server|drug|medication|event|category|dataset|school|hospital|team|store|shop|place|location|\
        station|bank|town|village|variable|feature|user|username|account|bucket|queue|job|task|service|course|\
        department|dept|unit|building|site|venue|group|role|type|class|species|gene|test|tag|label|key|sheet|image|\
        layer|plan|campaign|provider|vendor|supplier|merchant|customer segment|font|color|colour|function";
/// Words that turn the IPv4 detector off (`1.2.3.4` is a version there).
const VERSION_WORDS: &str = "version|versions|ver|release|build|revision|rev|firmware|semver|oid|os version";
/// Quasi-identifier hints (besides dates of birth, postal codes and special categories).
const QI_WORDS: &str =
    "age|ages|sex|gender|geschlecht|sexe|sexo|geslacht|alter|edad|leeftijd|occupation|job|job title|profession|\
        beruf|metier|profesion|beroep|marital|familienstand|nationality|citizenship|nationalitat|nationalite|\
        nacionalidad|nationaliteit|education|yob|birthyear|birth year|year of birth|birthplace|place of birth|\
        country of birth|city|county|town|municipality|gemeinde|commune|municipio|gemeente|wohnort|residence";

/// What one column name says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    /// Kinds in context (bit per [`Kind`]).
    pub context: u32,
    /// Kinds not searched in this column.
    pub disabled: u32,
    /// The quasi-identifier word found, if any.
    pub qi: Option<&'static str>,
    /// The header word behind each kind in context, for the report.
    pub words: Vec<(Kind, &'static str)>,
}

/// The hints of a column name.
pub fn hints(name: &str) -> Hints {
    let t = tokens(name);
    let mut h = Hints::default();
    for (kind, words) in KIND_WORDS {
        if let Some(w) = find(&t, words) {
            h.context |= kind.bit();
            h.words.push((*kind, w));
        }
    }
    let person = find(&t, NAME_WORDS).or_else(|| (t.len() == 1).then(|| find(&t, NAME_ALONE)).flatten());
    if let Some(w) = person.filter(|_| find(&t, NOT_A_PERSON).is_none()) {
        h.context |= Kind::PersonName.bit();
        h.words.push((Kind::PersonName, w));
    }
    if find(&t, VERSION_WORDS).is_some() {
        h.disabled |= Kind::Ipv4.bit();
        h.context &= !Kind::Ipv4.bit();
    }
    h.qi = find(&t, QI_WORDS);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(name: &str, k: Kind) -> bool {
        hints(name).context & k.bit() != 0
    }

    #[test]
    fn whole_word_tokens() {
        assert_eq!(tokens("firstName"), ["first", "name"]);
        assert_eq!(tokens("ZIPCode"), ["zip", "code"]);
        assert_eq!(tokens("date_of_birth"), ["date", "of", "birth"]);
        assert_eq!(tokens("E-Mail"), ["e", "mail"]);
        assert_eq!(tokens("Prénom"), ["prenom"]);
        assert_eq!(tokens("DOB"), ["dob"]);
        assert_eq!(tokens("c_jail_in"), ["c", "jail", "in"]);
        assert_eq!(tokens("icd10Code"), ["icd10", "code"]);
    }

    #[test]
    fn context_names_and_negatives() {
        assert!(has("email", Kind::Email) && has("E-Mail", Kind::Email) && has("emailAddress", Kind::Email));
        assert!(!has("mailbox_size", Kind::Email) || tokens("mailbox_size") == ["mailbox", "size"]);
        assert!(
            has("dob", Kind::BirthDate)
                && has("Geburtsdatum", Kind::BirthDate)
                && has("date_of_birth", Kind::BirthDate)
        );
        assert!(has("name", Kind::PersonName) && has("first", Kind::PersonName) && has("last_name", Kind::PersonName));
        assert!(!has("file_name", Kind::PersonName) && !has("product name", Kind::PersonName));
        assert!(!has("first_seen", Kind::PersonName) && !has("last_update", Kind::PersonName));
        assert!(!has("duplicate", Kind::PaymentCard) && !has("scorecard", Kind::PaymentCard));
        assert!(has("zip_code", Kind::PostalCode) && has("PLZ", Kind::PostalCode));
        assert!(has("client_ip", Kind::Ipv4));
        let v = hints("version");
        assert!(v.disabled & Kind::Ipv4.bit() != 0 && v.context & Kind::Ipv4.bit() == 0);
        assert_eq!(hints("age_cat").qi, Some("age"));
        assert_eq!(hints("usage").qi, None);
    }
}
