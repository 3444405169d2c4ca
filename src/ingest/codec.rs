//! The reading cache's bytes: unsigned integers in LEB128 (seven bits a
//! byte, the high bit saying more follow), signed ones zigzagged first,
//! texts as their length and bytes. The cache's entries are made of these,
//! and so is what a command keeps beside them ([`crate::ingest::batch::Assess`]),
//! [`Packed`] with each text once.

use foldhash::HashMap;
use rust_decimal::Decimal;
use std::ops::{Deref, DerefMut};

pub fn put_uint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub fn put_int(out: &mut Vec<u8>, n: i128) {
    // Zigzag, then LEB128 in two halves' worth of bytes.
    let z = ((n << 1) ^ (n >> 127)) as u128;
    put_uint(out, z as u64);
    put_uint(out, (z >> 64) as u64);
}

pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

pub fn put_decimal(out: &mut Vec<u8>, d: Decimal) {
    put_int(out, d.mantissa());
    put_uint(out, u64::from(d.scale()));
}

/// Reads what the `put_` functions wrote; `None` on bytes that are not.
pub struct Cursor<'a> {
    pub rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Cursor { rest: bytes }
    }

    pub fn uint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.rest.split_first()?;
            self.rest = rest;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    pub fn count(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.uint()?).ok()
    }

    pub fn int(&mut self) -> Option<i128> {
        let z = u128::from(self.uint()?) | (u128::from(self.uint()?) << 64);
        Some(((z >> 1) as i128) ^ -((z & 1) as i128))
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let len = self.count()?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    /// The next `n` bytes as they are.
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.rest.get(..n)?;
        self.rest = &self.rest[n..];
        Some(bytes)
    }

    pub fn decimal(&mut self) -> Option<Decimal> {
        Decimal::try_from_i128_with_scale(self.int()?, self.u32()?).ok()
    }

    /// `Some(true)` for 1, `Some(false)` for 0.
    pub fn flag(&mut self) -> Option<bool> {
        match self.uint()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Bytes whose texts are kept once each: the table of texts, then the
/// body, where a text is its index in the table (a workbook's cells name a
/// few sheets over and over).
#[derive(Default)]
pub struct Packed<'a> {
    body: Vec<u8>,
    texts: Vec<&'a str>,
    at: HashMap<&'a str, u64>,
}

impl<'a> Packed<'a> {
    pub fn uint(&mut self, n: u64) {
        put_uint(&mut self.body, n);
    }

    pub fn decimal(&mut self, d: Decimal) {
        put_decimal(&mut self.body, d);
    }

    /// Eight bytes, for a number as likely large as small (a hash).
    pub fn fixed(&mut self, n: u64) {
        self.body.extend_from_slice(&n.to_le_bytes());
    }

    pub fn text(&mut self, s: &'a str) {
        let next = self.texts.len() as u64;
        let i = *self.at.entry(s).or_insert_with(|| {
            self.texts.push(s);
            next
        });
        self.uint(i);
    }

    /// Appends the table and the body to `out`.
    pub fn finish(self, out: &mut Vec<u8>) {
        put_uint(out, self.texts.len() as u64);
        for text in &self.texts {
            put_str(out, text);
        }
        out.extend_from_slice(&self.body);
    }
}

/// Reads what [`Packed`] wrote.
pub struct Unpacked<'a> {
    cursor: Cursor<'a>,
    texts: Vec<&'a str>,
}

impl<'a> Unpacked<'a> {
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        let mut cursor = Cursor::new(bytes);
        let texts = (0..cursor.count()?)
            .map(|_| cursor.str())
            .collect::<Option<Vec<_>>>()?;
        Some(Unpacked { cursor, texts })
    }

    pub fn text(&mut self) -> Option<&'a str> {
        let i = self.cursor.count()?;
        self.texts.get(i).copied()
    }

    pub fn fixed(&mut self) -> Option<u64> {
        let (bytes, rest) = self.cursor.rest.split_first_chunk::<8>()?;
        self.cursor.rest = rest;
        Some(u64::from_le_bytes(*bytes))
    }
}

impl<'a> Deref for Unpacked<'a> {
    type Target = Cursor<'a>;

    fn deref(&self) -> &Cursor<'a> {
        &self.cursor
    }
}

impl<'a> DerefMut for Unpacked<'a> {
    fn deref_mut(&mut self) -> &mut Cursor<'a> {
        &mut self.cursor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_put_reads_back() {
        let mut out = Vec::new();
        let d = Decimal::new(-1_234_567, 2);
        put_uint(&mut out, 300);
        put_int(&mut out, i128::MIN);
        put_str(&mut out, "收入决算表");
        put_decimal(&mut out, d);
        let mut c = Cursor::new(&out);
        assert_eq!(c.uint(), Some(300));
        assert_eq!(c.int(), Some(i128::MIN));
        assert_eq!(c.str(), Some("收入决算表"));
        assert_eq!(c.decimal(), Some(d));
        assert!(c.is_empty());
        assert_eq!(Cursor::new(&[0x80]).uint(), None);
        let mut packed = Packed::default();
        for s in ["表3", "表1", "表3"] {
            packed.text(s);
        }
        packed.fixed(u64::MAX);
        let mut out = Vec::new();
        packed.finish(&mut out);
        let mut u = Unpacked::new(&out).expect("a table");
        let texts: Vec<_> = (0..3).map(|_| u.text()).collect();
        assert_eq!(texts, [Some("表3"), Some("表1"), Some("表3")]);
        assert_eq!(u.fixed(), Some(u64::MAX));
        assert!(u.is_empty());
        assert_eq!(Cursor::new(&[5, b'a']).str(), None);
    }
}
