//! The country table: every ISO 3166-1 alpha-2 code with its short English name and its continent.
//!
//! It owns the continent convention (see [`COUNTRIES`]) and the normalisation of user- or API-supplied
//! codes. It must not guess: an unknown code is `None`, never a default continent, and it must never
//! panic on whatever string a probe record or a user hands it.

use serde::{Deserialize, Serialize};

/// A continent, in the seven-continent model with the two-letter codes that RIPE Atlas, GeoNames and
/// most IP-geolocation databases use (AF, AN, AS, EU, NA, OC, SA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Continent {
    Africa,
    Antarctica,
    Asia,
    Europe,
    NorthAmerica,
    Oceania,
    SouthAmerica,
}

impl Continent {
    /// Every continent, in the order of their codes (which is also the derived `Ord`).
    pub const ALL: [Continent; 7] = [
        Continent::Africa,
        Continent::Antarctica,
        Continent::Asia,
        Continent::Europe,
        Continent::NorthAmerica,
        Continent::Oceania,
        Continent::SouthAmerica,
    ];

    /// The two-letter continent code ("AF", "AN", "AS", "EU", "NA", "OC", "SA").
    pub fn code(self) -> &'static str {
        match self {
            Continent::Africa => "AF",
            Continent::Antarctica => "AN",
            Continent::Asia => "AS",
            Continent::Europe => "EU",
            Continent::NorthAmerica => "NA",
            Continent::Oceania => "OC",
            Continent::SouthAmerica => "SA",
        }
    }

    /// The English name, as a person reads it ("North America", not "NorthAmerica").
    pub fn name(self) -> &'static str {
        match self {
            Continent::Africa => "Africa",
            Continent::Antarctica => "Antarctica",
            Continent::Asia => "Asia",
            Continent::Europe => "Europe",
            Continent::NorthAmerica => "North America",
            Continent::Oceania => "Oceania",
            Continent::SouthAmerica => "South America",
        }
    }
}

/// The continent of a country given by its ISO 3166-1 alpha-2 code.
///
/// The code is matched case-insensitively after trimming surrounding whitespace, because probe
/// metadata and hand-typed filters disagree on both. Anything that is not two ASCII letters, or is not
/// in the table, gives `None`.
pub fn continent_of(country_code: &str) -> Option<Continent> {
    lookup(country_code).map(|country| country.continent)
}

/// The short English name of a country given by its ISO 3166-1 alpha-2 code ("NL" → "Netherlands"),
/// with the same normalisation as [`continent_of`].
pub fn country_name(country_code: &str) -> Option<&'static str> {
    lookup(country_code).map(|country| country.name)
}

/// Every code in the table, upper-case and in alphabetical order, for pickers and filters.
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|country| country.code)
}

/// One row of [`COUNTRIES`].
struct Country {
    /// ISO 3166-1 alpha-2, upper-case.
    code: &'static str,
    continent: Continent,
    /// A short English name: the common form ("Bolivia", "Iran", "Vietnam") rather than the formal
    /// ISO name ("Bolivia, Plurinational State of"), because it is shown in table cells and legends.
    name: &'static str,
}

/// Builds one row; it exists only so the table below reads as one line per country.
const fn country(code: &'static str, continent: Continent, name: &'static str) -> Country {
    Country {
        code,
        continent,
        name,
    }
}

/// Normalises a code and finds its row. The table is sorted by code (a test checks it), so a binary
/// search on the two upper-cased bytes suffices.
fn lookup(country_code: &str) -> Option<&'static Country> {
    let bytes = country_code.trim().as_bytes();
    // A two-byte string may still be one non-ASCII character such as "É", so every byte is checked.
    let [first, second] = bytes else {
        return None;
    };
    if !first.is_ascii_alphabetic() || !second.is_ascii_alphabetic() {
        return None;
    }
    let key = [first.to_ascii_uppercase(), second.to_ascii_uppercase()];
    let index = COUNTRIES
        .binary_search_by(|country| country.code.as_bytes().cmp(&key[..]))
        .ok()?;
    COUNTRIES.get(index)
}

use Continent::{
    Africa as AF, Antarctica as AN, Asia as AS, Europe as EU, NorthAmerica as NA, Oceania as OC,
    SouthAmerica as SA,
};

/// All 249 officially assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency, as listed by
/// the Debian `iso-codes` package's `iso_3166-1.json`, against which the list was checked), plus `XK`
/// for Kosovo: a user-assigned code that ISO has not allocated but that RIPE Atlas, the European
/// Commission and most registries use.
///
/// Continent convention: the regions of the UN Statistics Division's "Standard country or area codes
/// for statistical use" (M49, <https://unstats.un.org/unsd/methodology/m49/>), with these choices
/// where M49 has no seven-continent answer:
/// - M49's "Americas" is split by sub-region: Northern America, Central America (including Mexico)
///   and the Caribbean are North America; South America is South America.
/// - Antarctica (AQ) has no M49 region and is Antarctica. So are the four sub-Antarctic territories
///   whose only people are research or station staff: Bouvet Island (BV), South Georgia and the
///   South Sandwich Islands (GS), Heard Island and McDonald Islands (HM) and the French Southern
///   Territories (TF). M49 files them under South America, Oceania and Africa, but GeoNames and the
///   IP-geolocation databases built on it put them in AN, and agreeing with those is what matters
///   when a probe's continent is compared with an address's.
/// - Kosovo (XK) is not in M49 (the UN lists it under Serbia); it is Europe, like its neighbours.
/// - Taiwan (TW) is not listed separately by M49; it is Asia (Eastern Asia).
///
/// Following M49 means, among others: Russia (RU) is Europe, Türkiye (TR), Cyprus (CY), Georgia
/// (GE), Armenia (AM), Azerbaijan (AZ) and Kazakhstan (KZ) are Asia, Egypt (EG) is Africa, Greenland
/// (GL) is North America, and the British Indian Ocean Territory (IO) is Africa (Eastern Africa).
const COUNTRIES: [Country; 250] = [
    country("AD", EU, "Andorra"),
    country("AE", AS, "United Arab Emirates"),
    country("AF", AS, "Afghanistan"),
    country("AG", NA, "Antigua and Barbuda"),
    country("AI", NA, "Anguilla"),
    country("AL", EU, "Albania"),
    country("AM", AS, "Armenia"),
    country("AO", AF, "Angola"),
    country("AQ", AN, "Antarctica"),
    country("AR", SA, "Argentina"),
    country("AS", OC, "American Samoa"),
    country("AT", EU, "Austria"),
    country("AU", OC, "Australia"),
    country("AW", NA, "Aruba"),
    country("AX", EU, "Åland Islands"),
    country("AZ", AS, "Azerbaijan"),
    country("BA", EU, "Bosnia and Herzegovina"),
    country("BB", NA, "Barbados"),
    country("BD", AS, "Bangladesh"),
    country("BE", EU, "Belgium"),
    country("BF", AF, "Burkina Faso"),
    country("BG", EU, "Bulgaria"),
    country("BH", AS, "Bahrain"),
    country("BI", AF, "Burundi"),
    country("BJ", AF, "Benin"),
    country("BL", NA, "Saint Barthélemy"),
    country("BM", NA, "Bermuda"),
    country("BN", AS, "Brunei"),
    country("BO", SA, "Bolivia"),
    country("BQ", NA, "Caribbean Netherlands"),
    country("BR", SA, "Brazil"),
    country("BS", NA, "Bahamas"),
    country("BT", AS, "Bhutan"),
    country("BV", AN, "Bouvet Island"),
    country("BW", AF, "Botswana"),
    country("BY", EU, "Belarus"),
    country("BZ", NA, "Belize"),
    country("CA", NA, "Canada"),
    country("CC", OC, "Cocos (Keeling) Islands"),
    country("CD", AF, "DR Congo"),
    country("CF", AF, "Central African Republic"),
    country("CG", AF, "Republic of the Congo"),
    country("CH", EU, "Switzerland"),
    country("CI", AF, "Côte d'Ivoire"),
    country("CK", OC, "Cook Islands"),
    country("CL", SA, "Chile"),
    country("CM", AF, "Cameroon"),
    country("CN", AS, "China"),
    country("CO", SA, "Colombia"),
    country("CR", NA, "Costa Rica"),
    country("CU", NA, "Cuba"),
    country("CV", AF, "Cabo Verde"),
    country("CW", NA, "Curaçao"),
    country("CX", OC, "Christmas Island"),
    country("CY", AS, "Cyprus"),
    country("CZ", EU, "Czechia"),
    country("DE", EU, "Germany"),
    country("DJ", AF, "Djibouti"),
    country("DK", EU, "Denmark"),
    country("DM", NA, "Dominica"),
    country("DO", NA, "Dominican Republic"),
    country("DZ", AF, "Algeria"),
    country("EC", SA, "Ecuador"),
    country("EE", EU, "Estonia"),
    country("EG", AF, "Egypt"),
    country("EH", AF, "Western Sahara"),
    country("ER", AF, "Eritrea"),
    country("ES", EU, "Spain"),
    country("ET", AF, "Ethiopia"),
    country("FI", EU, "Finland"),
    country("FJ", OC, "Fiji"),
    country("FK", SA, "Falkland Islands"),
    country("FM", OC, "Micronesia"),
    country("FO", EU, "Faroe Islands"),
    country("FR", EU, "France"),
    country("GA", AF, "Gabon"),
    country("GB", EU, "United Kingdom"),
    country("GD", NA, "Grenada"),
    country("GE", AS, "Georgia"),
    country("GF", SA, "French Guiana"),
    country("GG", EU, "Guernsey"),
    country("GH", AF, "Ghana"),
    country("GI", EU, "Gibraltar"),
    country("GL", NA, "Greenland"),
    country("GM", AF, "Gambia"),
    country("GN", AF, "Guinea"),
    country("GP", NA, "Guadeloupe"),
    country("GQ", AF, "Equatorial Guinea"),
    country("GR", EU, "Greece"),
    country("GS", AN, "South Georgia and the South Sandwich Islands"),
    country("GT", NA, "Guatemala"),
    country("GU", OC, "Guam"),
    country("GW", AF, "Guinea-Bissau"),
    country("GY", SA, "Guyana"),
    country("HK", AS, "Hong Kong"),
    country("HM", AN, "Heard Island and McDonald Islands"),
    country("HN", NA, "Honduras"),
    country("HR", EU, "Croatia"),
    country("HT", NA, "Haiti"),
    country("HU", EU, "Hungary"),
    country("ID", AS, "Indonesia"),
    country("IE", EU, "Ireland"),
    country("IL", AS, "Israel"),
    country("IM", EU, "Isle of Man"),
    country("IN", AS, "India"),
    country("IO", AF, "British Indian Ocean Territory"),
    country("IQ", AS, "Iraq"),
    country("IR", AS, "Iran"),
    country("IS", EU, "Iceland"),
    country("IT", EU, "Italy"),
    country("JE", EU, "Jersey"),
    country("JM", NA, "Jamaica"),
    country("JO", AS, "Jordan"),
    country("JP", AS, "Japan"),
    country("KE", AF, "Kenya"),
    country("KG", AS, "Kyrgyzstan"),
    country("KH", AS, "Cambodia"),
    country("KI", OC, "Kiribati"),
    country("KM", AF, "Comoros"),
    country("KN", NA, "Saint Kitts and Nevis"),
    country("KP", AS, "North Korea"),
    country("KR", AS, "South Korea"),
    country("KW", AS, "Kuwait"),
    country("KY", NA, "Cayman Islands"),
    country("KZ", AS, "Kazakhstan"),
    country("LA", AS, "Laos"),
    country("LB", AS, "Lebanon"),
    country("LC", NA, "Saint Lucia"),
    country("LI", EU, "Liechtenstein"),
    country("LK", AS, "Sri Lanka"),
    country("LR", AF, "Liberia"),
    country("LS", AF, "Lesotho"),
    country("LT", EU, "Lithuania"),
    country("LU", EU, "Luxembourg"),
    country("LV", EU, "Latvia"),
    country("LY", AF, "Libya"),
    country("MA", AF, "Morocco"),
    country("MC", EU, "Monaco"),
    country("MD", EU, "Moldova"),
    country("ME", EU, "Montenegro"),
    country("MF", NA, "Saint Martin"),
    country("MG", AF, "Madagascar"),
    country("MH", OC, "Marshall Islands"),
    country("MK", EU, "North Macedonia"),
    country("ML", AF, "Mali"),
    country("MM", AS, "Myanmar"),
    country("MN", AS, "Mongolia"),
    country("MO", AS, "Macao"),
    country("MP", OC, "Northern Mariana Islands"),
    country("MQ", NA, "Martinique"),
    country("MR", AF, "Mauritania"),
    country("MS", NA, "Montserrat"),
    country("MT", EU, "Malta"),
    country("MU", AF, "Mauritius"),
    country("MV", AS, "Maldives"),
    country("MW", AF, "Malawi"),
    country("MX", NA, "Mexico"),
    country("MY", AS, "Malaysia"),
    country("MZ", AF, "Mozambique"),
    country("NA", AF, "Namibia"),
    country("NC", OC, "New Caledonia"),
    country("NE", AF, "Niger"),
    country("NF", OC, "Norfolk Island"),
    country("NG", AF, "Nigeria"),
    country("NI", NA, "Nicaragua"),
    country("NL", EU, "Netherlands"),
    country("NO", EU, "Norway"),
    country("NP", AS, "Nepal"),
    country("NR", OC, "Nauru"),
    country("NU", OC, "Niue"),
    country("NZ", OC, "New Zealand"),
    country("OM", AS, "Oman"),
    country("PA", NA, "Panama"),
    country("PE", SA, "Peru"),
    country("PF", OC, "French Polynesia"),
    country("PG", OC, "Papua New Guinea"),
    country("PH", AS, "Philippines"),
    country("PK", AS, "Pakistan"),
    country("PL", EU, "Poland"),
    country("PM", NA, "Saint Pierre and Miquelon"),
    country("PN", OC, "Pitcairn Islands"),
    country("PR", NA, "Puerto Rico"),
    country("PS", AS, "Palestine"),
    country("PT", EU, "Portugal"),
    country("PW", OC, "Palau"),
    country("PY", SA, "Paraguay"),
    country("QA", AS, "Qatar"),
    country("RE", AF, "Réunion"),
    country("RO", EU, "Romania"),
    country("RS", EU, "Serbia"),
    country("RU", EU, "Russia"),
    country("RW", AF, "Rwanda"),
    country("SA", AS, "Saudi Arabia"),
    country("SB", OC, "Solomon Islands"),
    country("SC", AF, "Seychelles"),
    country("SD", AF, "Sudan"),
    country("SE", EU, "Sweden"),
    country("SG", AS, "Singapore"),
    country("SH", AF, "Saint Helena, Ascension and Tristan da Cunha"),
    country("SI", EU, "Slovenia"),
    country("SJ", EU, "Svalbard and Jan Mayen"),
    country("SK", EU, "Slovakia"),
    country("SL", AF, "Sierra Leone"),
    country("SM", EU, "San Marino"),
    country("SN", AF, "Senegal"),
    country("SO", AF, "Somalia"),
    country("SR", SA, "Suriname"),
    country("SS", AF, "South Sudan"),
    country("ST", AF, "São Tomé and Príncipe"),
    country("SV", NA, "El Salvador"),
    country("SX", NA, "Sint Maarten"),
    country("SY", AS, "Syria"),
    country("SZ", AF, "Eswatini"),
    country("TC", NA, "Turks and Caicos Islands"),
    country("TD", AF, "Chad"),
    country("TF", AN, "French Southern Territories"),
    country("TG", AF, "Togo"),
    country("TH", AS, "Thailand"),
    country("TJ", AS, "Tajikistan"),
    country("TK", OC, "Tokelau"),
    country("TL", AS, "Timor-Leste"),
    country("TM", AS, "Turkmenistan"),
    country("TN", AF, "Tunisia"),
    country("TO", OC, "Tonga"),
    country("TR", AS, "Türkiye"),
    country("TT", NA, "Trinidad and Tobago"),
    country("TV", OC, "Tuvalu"),
    country("TW", AS, "Taiwan"),
    country("TZ", AF, "Tanzania"),
    country("UA", EU, "Ukraine"),
    country("UG", AF, "Uganda"),
    country("UM", OC, "United States Minor Outlying Islands"),
    country("US", NA, "United States"),
    country("UY", SA, "Uruguay"),
    country("UZ", AS, "Uzbekistan"),
    country("VA", EU, "Vatican City"),
    country("VC", NA, "Saint Vincent and the Grenadines"),
    country("VE", SA, "Venezuela"),
    country("VG", NA, "British Virgin Islands"),
    country("VI", NA, "U.S. Virgin Islands"),
    country("VN", AS, "Vietnam"),
    country("VU", OC, "Vanuatu"),
    country("WF", OC, "Wallis and Futuna"),
    country("WS", OC, "Samoa"),
    country("XK", EU, "Kosovo"),
    country("YE", AS, "Yemen"),
    country("YT", AF, "Mayotte"),
    country("ZA", AF, "South Africa"),
    country("ZM", AF, "Zambia"),
    country("ZW", AF, "Zimbabwe"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn table_has_all_249_iso_codes_plus_kosovo() {
        assert_eq!(COUNTRIES.len(), 250);
        assert_eq!(country_codes().count(), 250);
        assert_eq!(continent_of("XK"), Some(Continent::Europe));
    }

    #[test]
    fn codes_are_two_upper_case_letters_sorted_and_unique() {
        for country in &COUNTRIES {
            let bytes = country.code.as_bytes();
            assert_eq!(bytes.len(), 2, "{}", country.code);
            assert!(bytes.iter().all(u8::is_ascii_uppercase), "{}", country.code);
            assert!(!country.name.is_empty(), "{}", country.code);
            assert_eq!(country.name.trim(), country.name, "{}", country.code);
        }
        // Strictly increasing means sorted (which the binary search relies on) and unique.
        for pair in COUNTRIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} then {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_row_is_found_by_lookup() {
        for code in country_codes() {
            assert!(continent_of(code).is_some(), "{code}");
            assert!(country_name(&code.to_ascii_lowercase()).is_some(), "{code}");
        }
    }

    #[test]
    fn spot_checks_follow_the_documented_convention() {
        let expected = [
            ("NL", Continent::Europe),
            ("RU", Continent::Europe),
            ("TR", Continent::Asia),
            ("CY", Continent::Asia),
            ("EG", Continent::Africa),
            ("MX", Continent::NorthAmerica),
            ("PA", Continent::NorthAmerica),
            ("CU", Continent::NorthAmerica),
            ("GL", Continent::NorthAmerica),
            ("BR", Continent::SouthAmerica),
            ("FK", Continent::SouthAmerica),
            ("AU", Continent::Oceania),
            ("NZ", Continent::Oceania),
            ("AQ", Continent::Antarctica),
            ("BV", Continent::Antarctica),
            ("GS", Continent::Antarctica),
            ("HM", Continent::Antarctica),
            ("TF", Continent::Antarctica),
            ("JP", Continent::Asia),
            ("ZA", Continent::Africa),
        ];
        for (code, continent) in expected {
            assert_eq!(continent_of(code), Some(continent), "{code}");
        }
        assert_eq!(country_name("NL"), Some("Netherlands"));
        assert_eq!(country_name("XK"), Some("Kosovo"));
    }

    #[test]
    fn lookup_ignores_case_and_surrounding_whitespace() {
        assert_eq!(continent_of("nl"), Some(Continent::Europe));
        assert_eq!(continent_of("Nl"), Some(Continent::Europe));
        assert_eq!(continent_of(" NL "), Some(Continent::Europe));
        assert_eq!(continent_of("\tbr\n"), Some(Continent::SouthAmerica));
        assert_eq!(country_name(" de"), Some("Germany"));
    }

    #[test]
    fn bad_codes_give_none_without_panicking() {
        for bad in [
            "",
            " ",
            "ZZ",
            "N",
            "NLD",
            "N L",
            "1A",
            "É",
            "ÉÉ",
            "日本",
            "\u{0}\u{0}",
            "AA",
            "XX",
        ] {
            assert_eq!(continent_of(bad), None, "{bad:?}");
            assert_eq!(country_name(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_continent_has_countries_and_codes_round_trip() {
        let mut counts: BTreeMap<Continent, usize> = BTreeMap::new();
        for country in &COUNTRIES {
            *counts.entry(country.continent).or_default() += 1;
        }
        for continent in Continent::ALL {
            assert!(
                counts.get(&continent).copied().unwrap_or(0) > 0,
                "{continent:?}"
            );
        }
        let codes: Vec<&str> = Continent::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["AF", "AN", "AS", "EU", "NA", "OC", "SA"]);
        assert_eq!(Continent::NorthAmerica.name(), "North America");
        // ALL is in `Ord` order, so sorted output and iteration over ALL agree.
        let mut sorted = Continent::ALL;
        sorted.sort();
        assert_eq!(sorted, Continent::ALL);
    }

    #[test]
    fn continent_serializes_as_its_variant_name() {
        let json = serde_json::to_string(&Continent::NorthAmerica).unwrap_or_default();
        assert_eq!(json, "\"NorthAmerica\"");
        let back: Option<Continent> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(Continent::NorthAmerica));
    }
}
