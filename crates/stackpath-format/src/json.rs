//! A strict RFC 8259 JSON reader that keeps the position of every value and
//! every object key.
//!
//! # Why a hand-written reader
//!
//! Every problem in a pathway file must name its line and column, so the
//! reader has to keep positions for every value and key, and it has to refuse
//! what RFC 8259 refuses (comments, trailing commas, single quotes, `NaN`,
//! leading zeros, lone surrogates) with a message that says how to fix it.
//! `serde_json` is strict and fast but drops positions once a value is built.
//! `jsonc-parser` keeps byte ranges, but it is built for JSONC: comments and
//! trailing commas are its normal input and strictness is opt-in, it reports
//! byte offsets rather than character columns, it would still need a second
//! pass to find duplicate keys, and its error messages are not ours to word.
//! A recursive-descent reader over bytes is about 500 lines, has no
//! dependencies, validates UTF-8 once with the standard library's validator,
//! borrows every string without an escape straight from the input, and tracks
//! the line and the character column as it goes; it reads pretty-printed
//! catalogs at several hundred MB/s (see BENCHMARKS.md, "Loading").
//!
//! # Guarantees
//!
//! - Never panics and never overflows the stack: nesting deeper than
//!   [`MAX_DEPTH`] is an error.
//! - Every error carries a 1-based line and column (columns count
//!   characters), pointing inside the input or just past its end.
//! - Duplicate keys in one object are an error naming both positions.
//! - A UTF-8 byte order mark is skipped and reported through
//!   [`Document::bom`]; RFC 8259 lets readers ignore it, and the loader turns
//!   it into a warning. Columns on line 1 do not count it (editors do not
//!   show it).
//! - Lines end at `\n`, `\r\n` or a lone `\r`.

use std::collections::HashMap;
use std::fmt;

use bumpalo::Bump;

/// Arrays and objects may nest at most this deep.
pub const MAX_DEPTH: usize = 128;

/// A position in the input: 1-based line and column (characters), and the
/// byte offset from the start of the text after any byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A JSON value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub pos: Pos,
    pub value: Value<'a>,
}

/// One member of an object: its key, where the key is, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub key: &'a str,
    pub key_pos: Pos,
    pub value: Node<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written; it matches the RFC 8259 grammar.
    Number(&'a str),
    String(&'a str),
    Array(&'a [Node<'a>]),
    /// Members in the order written; keys are unique.
    Object(&'a [Member<'a>]),
}

impl<'a> Value<'a> {
    /// How a message names this kind of value: "a string", "a list", ...
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

impl<'a> Node<'a> {
    pub fn as_str(&self) -> Option<&'a str> {
        match self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&'a [Member<'a>]> {
        match self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&'a [Node<'a>]> {
        match self.value {
            Value::Array(v) => Some(v),
            _ => None,
        }
    }

    /// The member named `key` of an object, if this is one and has it.
    pub fn get(&self, key: &str) -> Option<&'a Member<'a>> {
        self.as_object()?.iter().find(|m| m.key == key)
    }
}

/// A syntax error: where, a stable code, and a message saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// A parsed JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<'a> {
    pub root: Node<'a>,
    /// The text started with a UTF-8 byte order mark, which was skipped.
    pub bom: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses one JSON text strictly. Lists, objects and strings with escapes
/// are allocated in `arena`, which the caller drops in one go when done
/// with the tree (allocating and freeing them one by one was the largest
/// cost of reading a large catalog); other strings borrow from `input`.
pub fn parse<'a>(input: &'a [u8], arena: &'a Bump) -> Result<Document<'a>, SyntaxError> {
    let (bom, bytes) = match input.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let pos = locate(bytes, at);
            return Err(SyntaxError {
                pos,
                code: "invalid-utf8",
                message: "this byte is not valid UTF-8; save the file as UTF-8".to_string(),
            });
        }
    };
    let mut p = Parser {
        arena,
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        cont: 0,
        items: Vec::with_capacity(64),
        members: Vec::with_capacity(64),
    };
    p.skip_ws();
    if p.i >= p.bytes.len() {
        return Err(p.err_here(
            "json-syntax",
            "the file is empty; a pathway or learner file is a JSON object starting with '{'"
                .to_string(),
        ));
    }
    let root = p.value(0)?;
    p.skip_ws();
    if p.i < p.bytes.len() {
        return Err(p.err_here(
            "trailing-content",
            "unexpected text after the end of the JSON document; remove it, or wrap several values in one list".to_string(),
        ));
    }
    Ok(Document { root, bom })
}

/// The line and character column of byte `at` in `bytes`, counting from the
/// start (slow path, for errors found before parsing starts).
fn locate(bytes: &[u8], at: usize) -> Pos {
    let mut line = 1u32;
    let mut column = 1u32;
    let mut k = 0;
    let end = at.min(bytes.len());
    while k < end {
        let b = bytes[k];
        if b == b'\n' || (b == b'\r' && bytes.get(k + 1) != Some(&b'\n')) {
            line = line.saturating_add(1);
            column = 1;
        } else if b == b'\r' {
            // The '\n' of "\r\n" ends the line.
        } else if b & 0xC0 != 0x80 {
            column = column.saturating_add(1);
        }
        k += 1;
    }
    Pos {
        line,
        column,
        offset: end,
    }
}

struct Parser<'a> {
    arena: &'a Bump,
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
    /// UTF-8 continuation bytes between `line_start` and the end of the last
    /// string scanned on this line (they only occur inside strings).
    cont: usize,
    /// Scratch stacks for the items and members of the lists and objects
    /// being read: each container is then allocated once, at its exact size,
    /// instead of growing by doubling (allocation was the largest cost).
    items: Vec<Node<'a>>,
    members: Vec<Member<'a>>,
}

impl<'a> Parser<'a> {
    /// The position of byte `i`, which must be outside any string or at the
    /// opening quote of one, on the current line.
    fn pos(&self) -> Pos {
        self.pos_outside(self.i)
    }

    fn pos_outside(&self, i: usize) -> Pos {
        Pos {
            line: self.line,
            column: (i - self.line_start - self.cont + 1) as u32,
            offset: i,
        }
    }

    /// The position of byte `i` on the current line, anywhere (slow: counts
    /// characters from the start of the line).
    fn pos_anywhere(&self, i: usize) -> Pos {
        let i = i.min(self.bytes.len());
        let chars = self.bytes[self.line_start..i]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        Pos {
            line: self.line,
            column: (chars + 1) as u32,
            offset: i,
        }
    }

    fn err_at(&self, pos: Pos, code: &'static str, message: String) -> SyntaxError {
        SyntaxError { pos, code, message }
    }

    fn err_here(&self, code: &'static str, message: String) -> SyntaxError {
        let pos = self.pos_anywhere(self.i);
        self.err_at(pos, code, message)
    }

    /// Skips whitespace. The usual case, none at all, is decided inline.
    #[inline]
    fn skip_ws(&mut self) {
        if matches!(self.bytes.get(self.i), Some(&b) if b > b' ') {
            return;
        }
        self.skip_ws_slow();
    }

    fn skip_ws_slow(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b' ' => self.i = skip_spaces(self.bytes, self.i),
                b'\t' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.newline();
                }
                b'\r' => {
                    self.i += 1;
                    if self.bytes.get(self.i) == Some(&b'\n') {
                        self.i += 1;
                    }
                    self.newline();
                }
                _ => break,
            }
        }
    }

    fn newline(&mut self) {
        self.line = self.line.saturating_add(1);
        self.line_start = self.i;
        self.cont = 0;
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        let pos = self.pos();
        let Some(&b) = self.bytes.get(self.i) else {
            return Err(self.err_here(
                "json-syntax",
                "the file ends where a value was expected; the document is cut short, complete it"
                    .to_string(),
            ));
        };
        let value = match b {
            b'{' => self.object(depth, pos)?,
            b'[' => self.array(depth, pos)?,
            b'"' => Value::String(self.string()?),
            b'-' | b'0'..=b'9' => Value::Number(self.number()?),
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            _ => return Err(self.unexpected("a value")),
        };
        Ok(Node { pos, value })
    }

    /// An error for an unexpected character where `wanted` was expected,
    /// with advice for the usual mistakes.
    fn unexpected(&self, wanted: &str) -> SyntaxError {
        let Some(c) = self.text.get(self.i..).and_then(|s| s.chars().next()) else {
            return self.err_here(
                "json-syntax",
                format!("the file ends where {wanted} was expected; the document is cut short, complete it"),
            );
        };
        let advice = match c {
            '/' => "comments are not allowed in JSON; remove the comment".to_string(),
            '\'' => "strings must be in double quotes (\"...\"), not single quotes".to_string(),
            '+' => "a number may not start with '+'; remove it".to_string(),
            '.' => "a number must have a digit before its decimal point, e.g. 0.5".to_string(),
            'N' | 'I' => "NaN and Infinity are not JSON numbers; write a finite number".to_string(),
            'T' | 'F' => "write true and false in lowercase".to_string(),
            c if c.is_alphabetic() || c == '_' => {
                "text must be in double quotes; JSON keywords are true, false and null".to_string()
            }
            _ => format!("expected {wanted}"),
        };
        self.err_here(
            "json-syntax",
            format!("unexpected {}; {advice}", show_char(c)),
        )
    }

    fn literal(&mut self, word: &'static str, v: Value<'a>) -> Result<Value<'a>, SyntaxError> {
        if self.bytes[self.i..].starts_with(word.as_bytes()) {
            let end = self.i + word.len();
            let next = self.bytes.get(end).copied();
            if !matches!(next, Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                self.i = end;
                return Ok(v);
            }
        }
        Err(self.unexpected("a value"))
    }

    fn number(&mut self) -> Result<&'a str, SyntaxError> {
        let start = self.i;
        let b = self.bytes;
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                if matches!(b.get(i), Some(b'0'..=b'9')) {
                    self.i = start;
                    return Err(self.err_here(
                        "json-syntax",
                        "numbers may not have leading zeros; write 7, not 07".to_string(),
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => {
                self.i = i;
                return Err(self.err_here(
                    "json-syntax",
                    "a '-' must be followed by digits; write a number like -1".to_string(),
                ));
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.i = i;
                return Err(self.err_here(
                    "json-syntax",
                    "a decimal point must be followed by digits; write 1.0 or 1, not 1."
                        .to_string(),
                ));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                self.i = i;
                return Err(self.err_here(
                    "json-syntax",
                    "an exponent must have digits; write 1e3, not 1e".to_string(),
                ));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        self.i = i;
        // The bytes matched are ASCII, so this slice is on char boundaries.
        Ok(&self.text[start..i])
    }

    fn string(&mut self) -> Result<&'a str, SyntaxError> {
        let open = self.pos();
        self.i += 1;
        let start = self.i;
        let b = self.bytes;
        let mut owned: Option<String> = None;
        let mut seg = start;
        let mut non_ascii = false;
        loop {
            self.i = skip_plain(b, self.i);
            let Some(&c) = b.get(self.i) else {
                return Err(self.err_at(
                    open,
                    "unterminated-string",
                    "this string is never closed; add the closing '\"'".to_string(),
                ));
            };
            match c {
                b'"' => break,
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[seg..self.i]);
                    let decoded = self.escape()?;
                    s.push(decoded);
                    seg = self.i;
                }
                b'\n' | b'\r' => {
                    return Err(self.err_at(
                        open,
                        "unterminated-string",
                        "this string is not closed before the end of the line; add the closing '\"', or write a line break inside a string as \\n".to_string(),
                    ));
                }
                0..=0x1F => {
                    return Err(self.err_here(
                        "json-syntax",
                        format!(
                            "control character U+{:04X} inside a string; write it as an escape such as \\t or \\u{:04x}",
                            c, c
                        ),
                    ));
                }
                0x80.. => {
                    non_ascii = true;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        let end = self.i;
        self.i += 1;
        if non_ascii {
            self.cont += b[start..end].iter().filter(|&&x| x & 0xC0 == 0x80).count();
        }
        Ok(match owned {
            Some(mut s) => {
                s.push_str(&self.text[seg..end]);
                self.arena.alloc_str(&s)
            }
            None => &self.text[start..end],
        })
    }

    /// Reads the escape whose backslash is at `self.i`, moves past it and
    /// returns the character it stands for.
    fn escape(&mut self) -> Result<char, SyntaxError> {
        let at = self.i;
        let Some(&e) = self.bytes.get(self.i + 1) else {
            return Err(self.err_at(
                self.pos_anywhere(at),
                "unterminated-string",
                "the file ends inside a string; add the closing '\"'".to_string(),
            ));
        };
        let decoded: char = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(at)?;
                self.i = at + 6;
                if (0xD800..0xDC00).contains(&hi) {
                    let lo = if self.bytes.get(self.i) == Some(&b'\\')
                        && self.bytes.get(self.i + 1) == Some(&b'u')
                    {
                        Some(self.hex4(self.i)?)
                    } else {
                        None
                    };
                    match lo {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            self.i += 6;
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            return Ok(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            return Err(self.err_at(
                                self.pos_anywhere(at),
                                "lone-surrogate",
                                format!("\\u{hi:04X} is half of a surrogate pair with no low half after it; write the character itself or a complete pair like \\uD83D\\uDE00"),
                            ));
                        }
                    }
                }
                if (0xDC00..0xE000).contains(&hi) {
                    return Err(self.err_at(
                        self.pos_anywhere(at),
                        "lone-surrogate",
                        format!("\\u{hi:04X} is the low half of a surrogate pair with no high half before it; write the character itself or a complete pair"),
                    ));
                }
                return Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'));
            }
            _ => {
                let shown = self
                    .text
                    .get(at + 1..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                return Err(self.err_at(
                    self.pos_anywhere(at),
                    "bad-escape",
                    format!("\\{shown} is not a JSON escape; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX (write a backslash as \\\\)"),
                ));
            }
        };
        self.i = at + 2;
        Ok(decoded)
    }

    fn hex4(&self, at: usize) -> Result<u32, SyntaxError> {
        let digits = self.bytes.get(at + 2..at + 6);
        let parsed = digits.and_then(|d| {
            d.iter().try_fold(0u32, |acc, &c| {
                let v = (c as char).to_digit(16)?;
                Some(acc * 16 + v)
            })
        });
        parsed.ok_or_else(|| {
            self.err_at(
                self.pos_anywhere(at),
                "bad-escape",
                "\\u must be followed by four hex digits, e.g. \\u00e9".to_string(),
            )
        })
    }

    fn array(&mut self, depth: usize, open: Pos) -> Result<Value<'a>, SyntaxError> {
        if self.enter(depth, open, b']')? {
            return Ok(Value::Array(&[]));
        }
        let base = self.items.len();
        loop {
            let item = self.value(depth + 1)?;
            self.items.push(item);
            if self.next_or_close(open, b']')? {
                let items = self.arena.alloc_slice_fill_iter(self.items.drain(base..));
                return Ok(Value::Array(items));
            }
        }
    }

    fn object(&mut self, depth: usize, open: Pos) -> Result<Value<'a>, SyntaxError> {
        if self.enter(depth, open, b'}')? {
            return Ok(Value::Object(&[]));
        }
        let mut seen: Option<HashMap<&'a str, Pos>> = None;
        let base = self.members.len();
        loop {
            match self.bytes.get(self.i) {
                Some(b'"') => {}
                None => return Err(self.never_closed(open, b'}')),
                Some(_) => return Err(self.unexpected("a key in double quotes")),
            }
            let key_pos = self.pos();
            let key = self.string()?;
            // Duplicate keys: a linear scan for the usual small objects, a map
            // once an object grows, so large objects stay linear time.
            let first = match &mut seen {
                Some(map) => map.get(&key).copied(),
                None => self.members[base..]
                    .iter()
                    .find(|m| m.key == key)
                    .map(|m| m.key_pos),
            };
            if let Some(first) = first {
                return Err(self.err_at(
                    key_pos,
                    "duplicate-key",
                    format!(
                        "duplicate key \"{key}\": it is already at line {}, column {}; keep only one of them",
                        first.line, first.column
                    ),
                ));
            }
            self.skip_ws();
            if self.bytes.get(self.i) != Some(&b':') {
                return Err(self.unexpected("':' after the key"));
            }
            self.i += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            if let Some(map) = &mut seen {
                map.insert(key, key_pos);
            } else if self.members.len() - base >= 16 {
                let mut map: HashMap<&'a str, Pos> = self.members[base..]
                    .iter()
                    .map(|m| (m.key, m.key_pos))
                    .collect();
                map.insert(key, key_pos);
                seen = Some(map);
            }
            self.members.push(Member {
                key,
                key_pos,
                value,
            });
            if self.next_or_close(open, b'}')? {
                let members = self.arena.alloc_slice_fill_iter(self.members.drain(base..));
                return Ok(Value::Object(members));
            }
        }
    }

    /// Steps into a list or an object at its opening bracket (at `open`):
    /// `true` when `close` follows at once and it is empty.
    fn enter(&mut self, depth: usize, open: Pos, close: u8) -> Result<bool, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(self.err_at(
                open,
                "too-deep",
                format!("lists and objects are nested more than {MAX_DEPTH} deep here; flatten the structure"),
            ));
        }
        self.i += 1;
        self.skip_ws();
        if self.bytes.get(self.i) == Some(&close) {
            self.i += 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// After an item of a list (`close` is `]`) or a member of an object
    /// (`}`): `false` after a comma, more to come; `true` after the closing
    /// bracket.
    fn next_or_close(&mut self, open: Pos, close: u8) -> Result<bool, SyntaxError> {
        let list = close == b']';
        self.skip_ws();
        match self.bytes.get(self.i) {
            Some(b',') => {
                let comma = self.pos();
                self.i += 1;
                self.skip_ws();
                if self.bytes.get(self.i) == Some(&close) {
                    let (c, last) = if list { (']', "item") } else { ('}', "member") };
                    return Err(self.err_at(
                        comma,
                        "trailing-comma",
                        format!("trailing comma before '{c}'; remove it (JSON does not allow a comma after the last {last})"),
                    ));
                }
                Ok(false)
            }
            Some(&c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            None => Err(self.never_closed(open, close)),
            Some(_) => Err(self.unexpected(if list {
                "',' or ']' (a missing comma?)"
            } else {
                "',' or '}' (a missing comma?)"
            })),
        }
    }

    /// The list or object opened at `open` ends with the text.
    fn never_closed(&self, open: Pos, close: u8) -> SyntaxError {
        let message = if close == b']' {
            "this list is never closed; add the missing ']'"
        } else {
            "this object is never closed; add the missing '}'"
        };
        self.err_at(open, "json-syntax", message.to_string())
    }
}

/// The first byte at or after `i` that a string scan must look at: a quote,
/// a backslash, a control character or a non-ASCII byte. Eight bytes at a
/// time ("SWAR"), since strings are most of a catalog's bytes.
fn skip_plain(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let special = zero_byte(w ^ (ONES * u64::from(b'"')))
            | zero_byte(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | (w & HIGH);
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c) {
            break;
        }
        i += 1;
    }
    i
}

/// The first byte at or after `i` that is not a space, eight bytes at a
/// time: indentation is a large part of a pretty-printed catalog.
fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ SPACES;
        // The high bit of each byte of `other` is set exactly where that
        // byte is not a space (no borrow crosses bytes).
        let other = (((x & LOW7) + LOW7) | x) & HIGH;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("character U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<'a>(text: &'a str, arena: &'a Bump) -> Node<'a> {
        parse(text.as_bytes(), arena).expect("valid JSON").root
    }

    fn err(text: &[u8]) -> SyntaxError {
        match parse(text, &Bump::new()) {
            Ok(d) => panic!(
                "accepted {:?} as {:?}",
                String::from_utf8_lossy(text),
                d.root
            ),
            Err(e) => e,
        }
    }

    fn at(e: &SyntaxError) -> (u32, u32) {
        (e.pos.line, e.pos.column)
    }

    #[test]
    fn reads_every_kind_of_value() {
        let arena = Bump::new();
        let root = ok(
            r#"{"a": [1, -2.5e3, 0, true, false, null, "s\"\n\u00e9\ud83d\ude00"], "b": {}}"#,
            &arena,
        );
        let a = root.get("a").expect("a").value.as_array().expect("list");
        assert_eq!(a[0].value, Value::Number("1"));
        assert_eq!(a[1].value, Value::Number("-2.5e3"));
        assert_eq!(a[3].value, Value::Bool(true));
        assert_eq!(a[5].value, Value::Null);
        assert_eq!(a[6].as_str(), Some("s\"\n\u{e9}\u{1f600}"));
        assert_eq!(root.get("b").expect("b").value.value, Value::Object(&[]));
    }

    #[test]
    fn the_fast_string_scan_stops_at_every_special_byte() {
        let text = b"abcdefghijklmnop\"rst";
        for special in [b'"', b'\\', 0x00, 0x1F, 0x80, 0xFF] {
            for at in 0..text.len() {
                let mut t = text.to_vec();
                t[at] = special;
                assert_eq!(
                    skip_plain(&t, 0),
                    at.min(16).min(at),
                    "{special:#x} at {at}"
                );
                assert_eq!(skip_plain(&t, at), at);
            }
        }
        assert_eq!(skip_plain(b"plain text, no end", 0), 18);
        assert_eq!(skip_plain(b" !#[~\x7f", 0), 6);
    }

    #[test]
    fn the_fast_space_skip_stops_at_the_first_other_byte() {
        for len in 0..20 {
            for other in [b'"', b'\t', b'\n', 0x00, 0xA0, b'!', 0x1F] {
                let mut t = vec![b' '; len];
                t.push(other);
                t.extend_from_slice(b"   x");
                assert_eq!(skip_spaces(&t, 0), len, "{other:#x} after {len}");
            }
            assert_eq!(skip_spaces(&vec![b' '; len], 0), len);
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed_from_the_input() {
        let text = r#"["plain", "esc\n"]"#;
        let arena = Bump::new();
        let root = ok(text, &arena);
        let items = root.as_array().expect("list");
        let inside = |s: &str| text.as_bytes().as_ptr_range().contains(&s.as_ptr());
        assert!(inside(items[0].as_str().expect("string")));
        assert!(!inside(items[1].as_str().expect("string")));
        assert_eq!(items[1].as_str(), Some("esc\n"));
    }

    #[test]
    fn positions_are_lines_and_character_columns() {
        let text = "{\n  \"é\": \"ü\", \"k\": 1,\r\n\t\"z\": [true]\r}";
        let arena = Bump::new();
        let root = ok(text, &arena);
        let members = root.as_object().expect("object");
        assert_eq!((members[0].key_pos.line, members[0].key_pos.column), (2, 3));
        // Columns count characters: "é" is two bytes but one column.
        assert_eq!(
            (members[0].value.pos.line, members[0].value.pos.column),
            (2, 8)
        );
        assert_eq!(
            (members[1].key_pos.line, members[1].key_pos.column),
            (2, 13)
        );
        assert_eq!(
            (members[1].value.pos.line, members[1].value.pos.column),
            (2, 18)
        );
        assert_eq!((members[2].key_pos.line, members[2].key_pos.column), (3, 2));
        let z = members[2].value.as_array().expect("list");
        assert_eq!((z[0].pos.line, z[0].pos.column), (3, 8));
    }

    #[test]
    fn refuses_what_rfc_8259_refuses() {
        for (text, code, pos) in [
            ("[1,]", "trailing-comma", (1, 3)),
            ("{\"a\":1,}", "trailing-comma", (1, 7)),
            ("[01]", "json-syntax", (1, 2)),
            ("[1.]", "json-syntax", (1, 4)),
            ("[.5]", "json-syntax", (1, 2)),
            ("[-]", "json-syntax", (1, 3)),
            ("[1e]", "json-syntax", (1, 4)),
            ("[+1]", "json-syntax", (1, 2)),
            ("[NaN]", "json-syntax", (1, 2)),
            ("[Infinity]", "json-syntax", (1, 2)),
            ("[True]", "json-syntax", (1, 2)),
            ("[nul]", "json-syntax", (1, 2)),
            ("[truex]", "json-syntax", (1, 2)),
            ("['a']", "json-syntax", (1, 2)),
            ("{a: 1}", "json-syntax", (1, 2)),
            ("[1 // c\n]", "json-syntax", (1, 4)),
            ("[1 2]", "json-syntax", (1, 4)),
            ("{\"a\" 1}", "json-syntax", (1, 6)),
            ("\"a\tb\"", "json-syntax", (1, 3)),
            ("\"ab", "unterminated-string", (1, 1)),
            ("[\"ab\ncd\"]", "unterminated-string", (1, 2)),
            ("\"\\x\"", "bad-escape", (1, 2)),
            ("\"\\u12g4\"", "bad-escape", (1, 2)),
            ("\"\\ud800\"", "lone-surrogate", (1, 2)),
            ("\"\\ud800\\u0041\"", "lone-surrogate", (1, 2)),
            ("\"é\\udc00\"", "lone-surrogate", (1, 3)),
            ("{} {}", "trailing-content", (1, 4)),
            ("", "json-syntax", (1, 1)),
            ("   \n  ", "json-syntax", (2, 3)),
            ("[1, 2", "json-syntax", (1, 1)),
            ("{\"a\": 1", "json-syntax", (1, 1)),
            ("[", "json-syntax", (1, 2)),
        ] {
            let e = err(text.as_bytes());
            assert_eq!((e.code, at(&e)), (code, pos), "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn list_and_object_errors_name_their_own_bracket() {
        for (text, says) in [
            ("[1,]", "trailing comma before ']'; remove it (JSON does not allow a comma after the last item)"),
            ("{\"a\":1,}", "trailing comma before '}'; remove it (JSON does not allow a comma after the last member)"),
            ("[1, 2", "this list is never closed; add the missing ']'"),
            ("[[1], 2", "this list is never closed; add the missing ']'"),
            ("{\"a\": 1", "this object is never closed; add the missing '}'"),
            ("{\"a\": 1,", "this object is never closed; add the missing '}'"),
            ("[1 2]", "',' or ']' (a missing comma?)"),
            ("{\"a\": 1 \"b\": 2}", "',' or '}' (a missing comma?)"),
        ] {
            let e = err(text.as_bytes());
            assert!(e.message.contains(says), "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn duplicate_keys_name_both_positions() {
        let e = err(b"{\"a\": 1,\n \"a\": 2}");
        assert_eq!((e.code, at(&e)), ("duplicate-key", (2, 2)));
        assert!(e.message.contains("line 1, column 2"), "{}", e.message);
        // Past 16 members the check switches to a map; it must still work,
        // also for keys spelled with escapes.
        let mut big = String::from("{");
        for i in 0..40 {
            big.push_str(&format!("\"k{i}\": {i}, "));
        }
        big.push_str("\"k\\u0033\": 0}");
        let e = err(big.as_bytes());
        assert_eq!(e.code, "duplicate-key");
        assert!(e.message.contains("\"k3\""), "{}", e.message);
    }

    #[test]
    fn nesting_is_limited_without_overflowing_the_stack() {
        let ok_depth = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok_depth.as_bytes(), &Bump::new()).is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(err(too_deep.as_bytes()).code, "too-deep");
        let hostile = "[{\"a\":".repeat(100_000);
        assert_eq!(err(hostile.as_bytes()).code, "too-deep");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = err(b"{\n  \"a\": \"\xC3\xA9\xFF\"}");
        assert_eq!((e.code, at(&e)), ("invalid-utf8", (2, 10)));
        let e = err(b"\"\xED\xA0\x80\"");
        assert_eq!(e.code, "invalid-utf8");
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_reported() {
        let arena = Bump::new();
        let d = parse(b"\xEF\xBB\xBF{\"a\": 1}", &arena).expect("accepted");
        assert!(d.bom);
        assert_eq!((d.root.pos.line, d.root.pos.column), (1, 1));
        assert!(!parse(b"{}", &arena).expect("valid").bom);
    }
}
