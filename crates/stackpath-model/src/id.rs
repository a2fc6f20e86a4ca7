//! Identifiers: publishers, credentials (`publisher:local`) and tags, with the
//! rule that an unprefixed reference belongs to the file's own publisher.

use std::fmt;
use std::sync::Arc;

/// Why a string is not a valid identifier, phrased so a publisher can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    BadPublisher(String),
    BadLocal(String),
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::BadPublisher(p) => write!(
                f,
                "publisher id \"{p}\" is not valid; use 1 to 63 lowercase letters, digits or '-', starting with a letter or digit"
            ),
            IdError::BadLocal(l) => write!(
                f,
                "credential id \"{l}\" is not valid; use 1 to 128 letters, digits, '.', '_' or '-'"
            ),
        }
    }
}

impl std::error::Error for IdError {}

/// A publisher's namespace, matching `[a-z0-9][a-z0-9-]{0,62}`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublisherId(Arc<str>);

impl PublisherId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if is_publisher(s) {
            Ok(PublisherId(Arc::from(s)))
        } else {
            Err(IdError::BadPublisher(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PublisherId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for PublisherId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_publisher(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

fn is_local(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Checks `publisher:local`, or a bare `local` qualified with `default`, and
/// returns the qualified text in one allocation (ids are read by the
/// hundred thousand, so this avoids building intermediate strings).
fn qualify(s: &str, default: &PublisherId) -> Result<Arc<str>, IdError> {
    let (p, l, written_in_full) = match s.split_once(':') {
        Some((p, l)) => {
            if !is_publisher(p) {
                return Err(IdError::BadPublisher(p.to_string()));
            }
            (p, l, true)
        }
        None => (default.as_str(), s, false),
    };
    if !is_local(l) {
        return Err(IdError::BadLocal(l.to_string()));
    }
    if written_in_full {
        return Ok(Arc::from(s));
    }
    let mut buf = [0u8; 64 + 1 + 128];
    let n = p.len() + 1 + l.len();
    buf[..p.len()].copy_from_slice(p.as_bytes());
    buf[p.len()] = b':';
    buf[p.len() + 1..n].copy_from_slice(l.as_bytes());
    // Both parts were checked to be ASCII.
    Ok(Arc::from(std::str::from_utf8(&buf[..n]).unwrap_or(s)))
}

/// A credential's catalog-wide id, always stored fully qualified as
/// `publisher:local`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CredentialId(Arc<str>);

impl CredentialId {
    /// Parses an id as written in a file of `default`'s: a bare `local`
    /// belongs to that publisher.
    pub fn parse_in(s: &str, default: &PublisherId) -> Result<Self, IdError> {
        qualify(s, default).map(CredentialId)
    }

    /// Parses a fully qualified `publisher:local` id, as learners and the
    /// command line write them.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let Some((p, l)) = s.split_once(':') else {
            return Err(IdError::BadLocal(s.to_string()));
        };
        PublisherId::parse(p)?;
        if !is_local(l) {
            return Err(IdError::BadLocal(l.to_string()));
        }
        Ok(CredentialId(Arc::from(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn publisher(&self) -> &str {
        self.0.split_once(':').map(|(p, _)| p).unwrap_or("")
    }

    pub fn local(&self) -> &str {
        self.0.split_once(':').map(|(_, l)| l).unwrap_or(&self.0)
    }

    /// The shortest spelling inside a file of `publisher`: the bare local part
    /// when the id is the file's own.
    pub fn relative_to(&self, publisher: &PublisherId) -> &str {
        if self.publisher() == publisher.as_str() {
            self.local()
        } else {
            self.as_str()
        }
    }
}

impl fmt::Debug for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tag, namespaced like ids: `elective` in a file of `ccc` is `ccc:elective`,
/// so one college's elective pool never accepts another's electives.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(Arc<str>);

impl Tag {
    pub fn parse_in(s: &str, default: &PublisherId) -> Result<Self, IdError> {
        qualify(s, default).map(Tag)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn relative_to(&self, publisher: &PublisherId) -> &str {
        match self.0.split_once(':') {
            Some((p, l)) if p == publisher.as_str() => l,
            _ => &self.0,
        }
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PublisherId {
        PublisherId::parse(s).expect("valid publisher")
    }

    #[test]
    fn bare_ids_belong_to_the_files_publisher() {
        let id = CredentialId::parse_in("cs-101", &p("ccc")).expect("valid");
        assert_eq!(id.as_str(), "ccc:cs-101");
        assert_eq!(id.publisher(), "ccc");
        assert_eq!(id.local(), "cs-101");
        assert_eq!(id.relative_to(&p("ccc")), "cs-101");
        assert_eq!(id.relative_to(&p("mitx")), "ccc:cs-101");
    }

    #[test]
    fn prefixed_ids_keep_their_publisher() {
        let id = CredentialId::parse_in("comptia:a-plus", &p("ccc")).expect("valid");
        assert_eq!(id.as_str(), "comptia:a-plus");
    }

    #[test]
    fn invalid_ids_are_refused() {
        assert!(PublisherId::parse("").is_err());
        assert!(PublisherId::parse("-abc").is_err());
        assert!(PublisherId::parse("ABC").is_err());
        assert!(PublisherId::parse(&"a".repeat(64)).is_err());
        assert!(PublisherId::parse(&"a".repeat(63)).is_ok());
        assert!(CredentialId::parse_in("a b", &p("x")).is_err());
        assert!(CredentialId::parse_in(&"a".repeat(129), &p("x")).is_err());
        assert!(CredentialId::parse_in("Bad:x", &p("x")).is_err());
        assert!(CredentialId::parse("no-prefix").is_err());
        assert!(CredentialId::parse("mitx:6.431x").is_ok());
    }

    #[test]
    fn errors_name_the_part_that_is_wrong() {
        assert_eq!(
            CredentialId::parse_in("Bad:x", &p("ccc")),
            Err(IdError::BadPublisher("Bad".into()))
        );
        assert_eq!(
            CredentialId::parse_in("ccc:a b", &p("ccc")),
            Err(IdError::BadLocal("a b".into()))
        );
        assert_eq!(
            CredentialId::parse_in("", &p("ccc")),
            Err(IdError::BadLocal("".into()))
        );
        let longest = format!("{}:{}", "p".repeat(63), "l".repeat(128));
        assert_eq!(
            CredentialId::parse_in(&"l".repeat(128), &p(&"p".repeat(63)))
                .expect("valid")
                .as_str(),
            longest
        );
    }

    #[test]
    fn tags_are_namespaced() {
        let t = Tag::parse_in("elective", &p("ccc")).expect("valid");
        assert_eq!(t.as_str(), "ccc:elective");
        let o = Tag::parse_in("uni:elective", &p("ccc")).expect("valid");
        assert_ne!(t, o);
    }
}
