//! Signed pathway files: ed25519 over the RFC 8785 canonical form of the
//! document without its `signature` member.
//!
//! Keys and signature values are base64url (RFC 4648 section 5). They are
//! written without padding; padded values are accepted too.

use std::borrow::Cow;
use std::fmt;

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use stackpath_model::{PublisherId, Signature};

use crate::jcs::canonicalize;
use crate::json::{self, Node, Value};
use crate::write::{from_tree, render_out, string_out, Out};

/// What a loaded file's signature says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureStatus {
    /// No `signature` member.
    Unsigned,
    /// A valid signature by a key the user trusts for this publisher.
    Verified,
    /// A valid signature, by a key the user has not said they trust for
    /// this publisher: the file is intact, but anyone could have made it.
    UnknownKey,
    /// The signature does not match the content, or cannot be read.
    Tampered,
}

impl SignatureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Unsigned => "unsigned",
            SignatureStatus::Verified => "verified",
            SignatureStatus::UnknownKey => "unknown-key",
            SignatureStatus::Tampered => "tampered",
        }
    }
}

impl fmt::Display for SignatureStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureStatus::Unsigned => "unsigned",
            SignatureStatus::Verified => "verified",
            SignatureStatus::UnknownKey => "signed by an unknown key",
            SignatureStatus::Tampered => "tampered",
        })
    }
}

/// A public key the user trusts to sign one publisher's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub publisher: PublisherId,
    pub public_key: [u8; 32],
}

impl TrustedKey {
    /// Parses `publisher=<base64url public key>`, as a command line or a
    /// settings file would give it.
    pub fn parse(spec: &str) -> Result<TrustedKey, String> {
        let (p, k) = spec.split_once('=').ok_or_else(|| {
            format!("\"{spec}\" is not a trusted key; write publisher=<base64url public key>")
        })?;
        let publisher = PublisherId::parse(p.trim()).map_err(|e| e.to_string())?;
        let public_key = decode_fixed::<32>(k.trim())
            .ok_or_else(|| format!("\"{k}\" is not a base64url ed25519 public key (32 bytes)"))?;
        Ok(TrustedKey {
            publisher,
            public_key,
        })
    }
}

pub(crate) fn decode_fixed<const N: usize>(s: &str) -> Option<[u8; N]> {
    let bytes = URL_SAFE_NO_PAD
        .decode(s)
        .or_else(|_| URL_SAFE.decode(s))
        .ok()?;
    bytes.try_into().ok()
}

pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks `sig` against the document `root`. `Ok` is verified or signed by
/// an unknown key; `Err` says why the file counts as tampered.
pub(crate) fn verify(
    root: &Node<'_>,
    sig: &Signature,
    publisher: &PublisherId,
    trusted: &[TrustedKey],
) -> Result<SignatureStatus, String> {
    if sig.alg != "ed25519" {
        return Err(format!(
            "the signature algorithm is \"{}\", and Stackpath verifies \"ed25519\" only",
            sig.alg
        ));
    }
    let key_bytes =
        decode_fixed::<32>(&sig.public_key).ok_or("\"public_key\" is not 32 bytes of base64url")?;
    let value = decode_fixed::<64>(&sig.value).ok_or("\"value\" is not 64 bytes of base64url")?;
    let key = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|_| "\"public_key\" is not a valid ed25519 public key".to_string())?;
    let canonical = canonicalize(root, Some("signature"))?;
    let signature = ed25519_dalek::Signature::from_bytes(&value);
    key.verify_strict(canonical.as_bytes(), &signature)
        .map_err(|_| "the signature does not match the file's content".to_string())?;
    let trusted = trusted
        .iter()
        .any(|t| &t.publisher == publisher && t.public_key == key_bytes);
    Ok(if trusted {
        SignatureStatus::Verified
    } else {
        SignatureStatus::UnknownKey
    })
}

/// Signs a pathway file with an ed25519 secret key (the 32-byte seed) and
/// returns the file with its `signature` member set. Every other member is
/// kept, in its order; the layout becomes the writer's pretty layout.
pub fn sign_pathway(text: &[u8], secret_key: &[u8; 32]) -> Result<String, String> {
    let arena = bumpalo::Bump::new();
    let doc = json::parse(text, &arena).map_err(|e| e.to_string())?;
    let Value::Object(_) = doc.root.value else {
        return Err("a pathway file must be a JSON object".to_string());
    };
    let canonical = canonicalize(&doc.root, Some("signature"))?;
    let key = SigningKey::from_bytes(secret_key);
    let value = key.sign(canonical.as_bytes());
    let signature = Out::Obj(vec![
        (Cow::Borrowed("alg"), string_out("ed25519")),
        (
            Cow::Borrowed("public_key"),
            string_out(&encode(key.verifying_key().as_bytes())),
        ),
        (
            Cow::Borrowed("value"),
            string_out(&encode(&value.to_bytes())),
        ),
    ]);
    let Out::Obj(mut members) = from_tree(&doc.root) else {
        return Err("a pathway file must be a JSON object".to_string());
    };
    members.retain(|(k, _)| k != "signature");
    members.push((Cow::Borrowed("signature"), signature));
    Ok(render_out(&Out::Obj(members)))
}

/// The base64url public key that goes with a secret key (the 32-byte seed).
pub fn public_key_of(secret_key: &[u8; 32]) -> String {
    encode(
        SigningKey::from_bytes(secret_key)
            .verifying_key()
            .as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// RFC 8032 section 7.1, test 1: the primitive this module relies on.
    #[test]
    fn ed25519_matches_rfc_8032_test_1() {
        let seed: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .expect("32 bytes");
        let key = SigningKey::from_bytes(&seed);
        assert_eq!(
            key.verifying_key().as_bytes().to_vec(),
            hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        );
        assert_eq!(
            key.sign(b"").to_bytes().to_vec(),
            hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        );
    }

    #[test]
    fn trusted_keys_parse_and_refuse() {
        let seed = [7u8; 32];
        let spec = format!("ccc={}", public_key_of(&seed));
        let k = TrustedKey::parse(&spec).expect("valid");
        assert_eq!(k.publisher.as_str(), "ccc");
        assert!(TrustedKey::parse("ccc").is_err());
        assert!(TrustedKey::parse("ccc=abc").is_err());
        assert!(TrustedKey::parse("Bad=abc").is_err());
    }
}
