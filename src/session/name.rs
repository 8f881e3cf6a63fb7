//! Session names and the file names derived from them.
//!
//! The name a user types lives inside the session file; the file name is a
//! slug of it. Two names that differ only by case or Unicode normalisation
//! (`Café` and `CAFE\u{301}`) give the same slug and therefore collide, so a
//! second session can never silently replace the first.

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// The longest file stem (slug) accepted, in bytes: file names have at most
/// 255 bytes on common file systems, and the longest name derived from a
/// stem is a temporary file of its lock, `.<slug>.lock.<pid>-<n>.tmp`.
pub const MAX_SLUG_BYTES: usize = 255 - ".lock".len() - super::write::TEMP_NAME_OVERHEAD;

/// Device names Windows reserves in every folder, with or without extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks a name a user typed and returns it trimmed, or says plainly what is
/// wrong with it. Refused: empty names, names over 64 characters, path
/// separators, `..`, control characters, reserved device names, and names
/// without a single letter or digit.
pub fn check_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(Error::Input(
            "the session name is empty; give a name such as \"my-model\"".into(),
        ));
    }
    if let Some((i, c)) = trimmed.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(Error::Input(format!(
            "the session name contains the control character U+{:04X} at position {}; use only printable characters",
            c as u32,
            i + 1
        )));
    }
    if let Some((i, c)) = trimmed
        .chars()
        .enumerate()
        .find(|(_, c)| crate::text::is_invisible_format(*c))
    {
        return Err(Error::Input(format!(
            "the session name contains the invisible formatting character U+{:04X} at position {}; use only printable characters",
            c as u32,
            i + 1
        )));
    }
    let count = trimmed.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(Error::Input(format!(
            "the session name is {count} characters long; use at most {MAX_NAME_CHARS}"
        )));
    }
    if let Some(c) = trimmed.chars().find(|c| matches!(c, '/' | '\\')) {
        return Err(Error::Input(format!(
            "the session name \"{trimmed}\" contains \"{c}\"; names cannot contain path separators"
        )));
    }
    if trimmed.contains("..") {
        return Err(Error::Input(format!(
            "the session name \"{trimmed}\" contains \"..\"; choose a name without it"
        )));
    }
    let slug = slug_of(trimmed);
    if slug.is_empty() {
        return Err(Error::Input(format!(
            "the session name \"{trimmed}\" needs at least one letter or digit"
        )));
    }
    if slug.len() > MAX_SLUG_BYTES {
        return Err(Error::Input(format!(
            "the session name takes {} bytes in a file name; use at most {MAX_SLUG_BYTES} (letters outside A–Z take 2 to 4 bytes each, so shorten it)",
            slug.len()
        )));
    }
    let key = name_key(trimmed);
    let stem = key.split('.').next().unwrap_or(&key).trim();
    if RESERVED.contains(&stem) || RESERVED.contains(&slug.as_str()) {
        return Err(Error::Input(format!(
            "\"{trimmed}\" is a reserved device name on Windows; choose another name"
        )));
    }
    Ok(trimmed.to_string())
}

/// The comparison key of a name: NFKC, then lowercase, then NFKC again (case
/// folding can denormalise).
pub fn name_key(name: &str) -> String {
    let folded: String = name.trim().nfkc().collect::<String>().to_lowercase();
    folded.nfkc().collect()
}

/// The file stem of a session: the name's key with every run of characters
/// other than letters and digits turned into one `-`.
pub fn slug_of(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name_key(name).chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_case_and_normalisation() {
        assert_eq!(slug_of("My Model 7B"), "my-model-7b");
        assert_eq!(slug_of("Cafe\u{301}"), slug_of("CAFÉ"));
        assert_eq!(slug_of("ﬁne"), "fine");
        assert_eq!(slug_of("  --a__b--  "), "a-b");
    }

    #[test]
    fn refuses_bad_names() {
        assert!(check_name("").is_err());
        assert!(check_name("a/b").is_err());
        assert!(check_name("a\\b").is_err());
        assert!(check_name("a..b").is_err());
        assert!(check_name("a\u{7}").is_err());
        assert!(check_name("CON").is_err());
        assert!(check_name("com1.txt").is_err());
        assert!(check_name("!!!").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
        assert_eq!(check_name(&"x".repeat(64)).unwrap().len(), 64);
        assert_eq!(check_name("  console  ").unwrap(), "console");
    }
}
