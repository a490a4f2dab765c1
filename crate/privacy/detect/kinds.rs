//! The kinds of personal data the detectors recognise, what validates each, and whether it
//! identifies a person directly or only in combination (a quasi-identifier).

use serde::{Deserialize, Serialize};

/// Number of [`Kind`]s.
pub const N_KINDS: usize = 22;
const _: () = assert!(N_KINDS <= 32, "kind masks are u32");

/// A kind of personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// E-mail address (RFC 5321 shape, domain with a public suffix).
    Email,
    /// Telephone number (E.164 international or a listed national form).
    Phone,
    /// International bank account number (ISO 13616: per-country length and structure,
    /// ISO 7064 MOD 97-10).
    Iban,
    /// Payment card number (13–19 digits, issuer range and length, Luhn).
    PaymentCard,
    /// US Social Security number (structure rules; no check digit).
    UsSsn,
    /// UK National Insurance number (format rules; no check digit).
    UkNino,
    /// UK NHS number (mod 11).
    UkNhs,
    /// Dutch citizen service number BSN (11-proof).
    NlBsn,
    /// Swedish personal identity number (birth date and Luhn).
    SePersonnummer,
    /// Indian Aadhaar number (Verhoeff).
    InAadhaar,
    /// Brazilian CPF (two mod-11 check digits).
    BrCpf,
    /// Spanish DNI (mod-23 check letter).
    EsDni,
    /// Spanish NIE (X/Y/Z prefix, mod-23 check letter).
    EsNie,
    /// French social security number NIR (mod-97 key, Corsica 2A/2B).
    FrNir,
    /// German tax identification number (Steuer-ID: digit-repetition rule, ISO 7064 MOD 11,10).
    DeSteuerId,
    /// IPv4 address.
    Ipv4,
    /// IPv6 address.
    Ipv6,
    /// MAC (EUI-48) address.
    Mac,
    /// URL (scheme, `www.` or a domain with a known top-level domain).
    Url,
    /// Date of birth (a date column named like one, in a plausible range).
    BirthDate,
    /// Postal code (a column named like one, in a listed national shape).
    PostalCode,
    /// Person name (a column named like one, values of alphabetic tokens).
    PersonName,
}

/// How a kind is validated beyond its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validation {
    /// A check digit or checksum.
    Checksum(&'static str),
    /// Structural rules only (no check digit).
    Rules(&'static str),
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; N_KINDS] = [
        Kind::Email,
        Kind::Phone,
        Kind::Iban,
        Kind::PaymentCard,
        Kind::UsSsn,
        Kind::UkNino,
        Kind::UkNhs,
        Kind::NlBsn,
        Kind::SePersonnummer,
        Kind::InAadhaar,
        Kind::BrCpf,
        Kind::EsDni,
        Kind::EsNie,
        Kind::FrNir,
        Kind::DeSteuerId,
        Kind::Ipv4,
        Kind::Ipv6,
        Kind::Mac,
        Kind::Url,
        Kind::BirthDate,
        Kind::PostalCode,
        Kind::PersonName,
    ];

    /// Index in [`Kind::ALL`] (and in per-kind count arrays).
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Bit of this kind in a kind mask.
    #[inline]
    pub const fn bit(self) -> u32 {
        1 << self.index()
    }

    /// The kinds in a mask.
    pub fn in_mask(mask: u32) -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(move |k| mask & k.bit() != 0)
    }

    /// The name used in the JSON report (snake case).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
            Kind::PaymentCard => "payment_card",
            Kind::UsSsn => "us_ssn",
            Kind::UkNino => "uk_nino",
            Kind::UkNhs => "uk_nhs",
            Kind::NlBsn => "nl_bsn",
            Kind::SePersonnummer => "se_personnummer",
            Kind::InAadhaar => "in_aadhaar",
            Kind::BrCpf => "br_cpf",
            Kind::EsDni => "es_dni",
            Kind::EsNie => "es_nie",
            Kind::FrNir => "fr_nir",
            Kind::DeSteuerId => "de_steuer_id",
            Kind::Ipv4 => "ipv4",
            Kind::Ipv6 => "ipv6",
            Kind::Mac => "mac",
            Kind::Url => "url",
            Kind::BirthDate => "birth_date",
            Kind::PostalCode => "postal_code",
            Kind::PersonName => "person_name",
        }
    }

    /// A plural phrase for people ("e-mail addresses").
    pub fn title(self) -> &'static str {
        match self {
            Kind::Email => "e-mail addresses",
            Kind::Phone => "phone numbers",
            Kind::Iban => "IBANs",
            Kind::PaymentCard => "payment card numbers",
            Kind::UsSsn => "US Social Security numbers",
            Kind::UkNino => "UK National Insurance numbers",
            Kind::UkNhs => "UK NHS numbers",
            Kind::NlBsn => "Dutch BSNs",
            Kind::SePersonnummer => "Swedish personnummer",
            Kind::InAadhaar => "Aadhaar numbers",
            Kind::BrCpf => "Brazilian CPFs",
            Kind::EsDni => "Spanish DNIs",
            Kind::EsNie => "Spanish NIEs",
            Kind::FrNir => "French NIRs (social security numbers)",
            Kind::DeSteuerId => "German tax IDs (Steuer-ID)",
            Kind::Ipv4 => "IPv4 addresses",
            Kind::Ipv6 => "IPv6 addresses",
            Kind::Mac => "MAC addresses",
            Kind::Url => "URLs",
            Kind::BirthDate => "dates of birth",
            Kind::PostalCode => "postal codes",
            Kind::PersonName => "person names",
        }
    }

    /// What validates a value of this kind beyond its shape.
    pub fn validation(self) -> Validation {
        use Validation::{Checksum, Rules};
        match self {
            Kind::Email => Rules("domain ends in a public suffix with a label before it"),
            Kind::Phone => Rules("E.164 country code and length, or a listed national form"),
            Kind::Iban => Checksum("ISO 7064 MOD 97-10 and the country's length and structure (ISO 13616)"),
            Kind::PaymentCard => Checksum("Luhn, issuer range and length"),
            Kind::UsSsn => Rules("area not 000, 666 or 9xx, group not 00, serial not 0000, not a known invalid number"),
            Kind::UkNino => Rules("prefix letters and suffix A–D as issued"),
            Kind::UkNhs => Checksum("mod 11"),
            Kind::NlBsn => Checksum("11-proof"),
            Kind::SePersonnummer => Checksum("birth date exists and Luhn"),
            Kind::InAadhaar => Checksum("Verhoeff, first digit 2–9, not a palindrome"),
            Kind::BrCpf => Checksum("two mod-11 check digits"),
            Kind::EsDni => Checksum("mod-23 check letter"),
            Kind::EsNie => Checksum("mod-23 check letter"),
            Kind::FrNir => Checksum("mod-97 key"),
            Kind::DeSteuerId => Checksum("digit-repetition rule and ISO 7064 MOD 11,10"),
            Kind::Ipv4 => Rules("four octets 0–255 without leading zeros"),
            Kind::Ipv6 => Rules("eight 16-bit groups (or fewer with ::)"),
            Kind::Mac => Rules("six hexadecimal octets"),
            Kind::Url => Rules("known top-level domain"),
            Kind::BirthDate => Rules("on or after 1900-01-01 and not after the as-of date"),
            Kind::PostalCode => Rules("a listed national postal-code shape"),
            Kind::PersonName => Rules("one to five alphabetic tokens"),
        }
    }

    /// True when a value of this kind points to one person by itself (a direct
    /// identifier); false for quasi-identifiers (dates of birth, postal codes, URLs).
    pub const fn is_direct(self) -> bool {
        !matches!(self, Kind::BirthDate | Kind::PostalCode | Kind::Url)
    }

    /// True for kinds that are only looked for in columns whose name suggests them.
    pub fn needs_header(self) -> bool {
        matches!(self, Kind::BirthDate | Kind::PostalCode | Kind::PersonName)
    }
}

/// How sure a column-level finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The values have the shape and pass the kind's structural rules; nothing else.
    Pattern,
    /// As `pattern`, and the column name says so.
    Header,
    /// The values pass the kind's check digit or checksum.
    Checksum,
    /// Checksum, and the column name says so.
    ChecksumAndHeader,
}

impl Confidence {
    /// The confidence of kind `k` with or without header context.
    pub fn of(k: Kind, header: bool) -> Confidence {
        match (k.validation(), header) {
            (Validation::Checksum(_), true) => Confidence::ChecksumAndHeader,
            (Validation::Checksum(_), false) => Confidence::Checksum,
            (Validation::Rules(_), true) => Confidence::Header,
            (Validation::Rules(_), false) => Confidence::Pattern,
        }
    }
    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            Confidence::Pattern => "pattern only",
            Confidence::Header => "pattern and column name",
            Confidence::Checksum => "checksum",
            Confidence::ChecksumAndHeader => "checksum and column name",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_and_bits_follow_the_list() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(k.index(), i);
            assert_eq!(Kind::in_mask(k.bit()).collect::<Vec<_>>(), vec![*k]);
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.name()));
        }
    }
}
