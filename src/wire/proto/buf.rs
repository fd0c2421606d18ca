//! The encoder's output: bytes with deferred lengths.
//!
//! A nested message's length is only known once its body is written. Each
//! nested body gets a one-byte length placeholder; a body shorter than 128
//! bytes (one varint byte) has its length written in place when it closes.
//! A longer one leaves a *hole* (placeholder position and final length)
//! and the bytes are moved once, at the very end, in one back-to-front pass
//! that widens every hole ([`Out::finish`]) — instead of moving each long
//! body when it closes (which moved the bytes of a deep tree once per
//! level).
//!
//! Bookkeeping: `extra` counts the bytes the holes inside the innermost
//! open body will add (varint length minus the one placeholder byte), so a
//! body's final length is its written bytes plus its `extra`.

use super::wire::varint_len;

/// Output bytes and the holes still to widen (in position order).
pub(super) struct Out {
    pub(super) buf: Vec<u8>,
    /// (placeholder position, final body length) of the bodies of 128
    /// bytes or more, in pre-order (= position order).
    holes: Vec<(usize, usize)>,
    /// Bytes the finished holes of the innermost open body will add.
    extra: usize,
}

/// An open nested body (see [`Out::begin`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct Open {
    /// Where the body starts (just after the placeholder).
    start: usize,
    /// Index of this body's hole in [`Out::holes`].
    hole: usize,
    /// The enclosing body's `extra` when this one opened.
    saved: usize,
}

impl Out {
    pub(super) fn with_capacity(n: usize) -> Out {
        Out {
            buf: Vec::with_capacity(n),
            holes: Vec::new(),
            extra: 0,
        }
    }

    /// A field key (one byte for fields 1-15: no copy call).
    #[inline]
    pub(super) fn tag(&mut self, tag: &[u8]) {
        if let [b] = tag {
            self.buf.push(*b);
        } else {
            self.buf.extend_from_slice(tag);
        }
    }

    /// Open a length-delimited field: its key, then a one-byte length
    /// placeholder.
    #[inline]
    pub(super) fn begin(&mut self, tag: &[u8]) -> Open {
        self.tag(tag);
        self.buf.push(0);
        let start = self.buf.len();
        self.holes.push((start - 1, 0));
        Open {
            start,
            hole: self.holes.len() - 1,
            saved: std::mem::replace(&mut self.extra, 0),
        }
    }

    /// Close what [`Out::begin`] opened.
    #[inline]
    pub(super) fn end(&mut self, open: Open) {
        let len = self.buf.len() - open.start + self.extra;
        if len < 0x80 {
            // Nothing inside needed widening (it would be >= 128 bytes), so
            // this body's hole is the last one.
            debug_assert_eq!(self.holes.len(), open.hole + 1);
            self.holes.truncate(open.hole);
            self.buf[open.start - 1] = len as u8;
            self.extra = open.saved;
        } else {
            self.holes[open.hole].1 = len;
            self.extra += open.saved + varint_len(len as u64) - 1;
        }
    }

    /// The finished bytes: every hole widened to its varint length.
    pub(super) fn finish(self) -> Vec<u8> {
        let Out {
            mut buf,
            holes,
            extra,
        } = self;
        if holes.is_empty() {
            return buf;
        }
        let written = buf.len();
        buf.resize(written + extra, 0);
        // Back to front: each segment after a placeholder moves right by
        // the widening of the holes before it, then gets its length in front.
        let (mut src_end, mut dst_end) = (written, written + extra);
        for &(at, len) in holes.iter().rev() {
            let n = src_end - (at + 1);
            buf.copy_within(at + 1..src_end, dst_end - n);
            dst_end -= n;
            let mut v = [0u8; 10];
            let vl = encode_varint(len as u64, &mut v);
            dst_end -= vl;
            buf[dst_end..dst_end + vl].copy_from_slice(&v[..vl]);
            src_end = at;
        }
        debug_assert_eq!(src_end, dst_end);
        buf
    }
}

/// Standard base64 with canonical padding (what `bytes` fields carry)
/// decoded straight into `out`; `false` (nothing written) for anything
/// else, which the caller hands to the full decoder for its verdict.
pub(super) fn base64_into(s: &[u8], out: &mut Vec<u8>) -> bool {
    const BAD: u8 = 0xff;
    const TABLE: [u8; 256] = {
        let mut t = [BAD; 256];
        let a = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            t[a[i] as usize] = i as u8;
            i += 1;
        }
        t
    };
    if s.len() % 4 != 0 {
        return false;
    }
    let pad = s.iter().rev().take_while(|b| **b == b'=').count();
    if pad > 2 {
        return false;
    }
    let body = &s[..s.len() - pad];
    let mark = out.len();
    out.reserve(body.len() / 4 * 3 + 2);
    let mut chunks = body.chunks_exact(4);
    for c in &mut chunks {
        let (a, b, x, d) = (
            TABLE[c[0] as usize],
            TABLE[c[1] as usize],
            TABLE[c[2] as usize],
            TABLE[c[3] as usize],
        );
        if (a | b | x | d) > 63 {
            out.truncate(mark);
            return false;
        }
        let v = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(x) << 6) | u32::from(d);
        out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
    }
    let rest = chunks.remainder();
    let ok = match rest {
        [] => true,
        // "xx==": 12 bits, the low 4 must be zero.
        [p, q] => {
            let (a, b) = (TABLE[*p as usize], TABLE[*q as usize]);
            let ok = a <= 63 && b <= 63 && b & 0x0f == 0;
            if ok {
                out.push((a << 2) | (b >> 4));
            }
            ok
        }
        // "xxx=": 18 bits, the low 2 must be zero.
        [p, q, r] => {
            let (a, b, c) = (TABLE[*p as usize], TABLE[*q as usize], TABLE[*r as usize]);
            let ok = a <= 63 && b <= 63 && c <= 63 && c & 0x03 == 0;
            if ok {
                out.extend_from_slice(&[(a << 2) | (b >> 4), (b << 4) | (c >> 2)]);
            }
            ok
        }
        _ => false,
    };
    if !ok {
        out.truncate(mark);
    }
    ok
}

/// `v` as a varint into `out`; returns its length.
#[inline]
fn encode_varint(mut v: u64, out: &mut [u8; 10]) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        out[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    out[n] = v as u8;
    n + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nested bodies of the given lengths (a tree), written through `Out`
    /// and directly with known lengths, must give the same bytes.
    enum Node {
        Leaf(usize),
        Nest(Vec<Node>),
    }

    fn via_out(out: &mut Out, n: &Node) {
        match n {
            Node::Leaf(k) => out.buf.extend(std::iter::repeat_n(0xAB, *k)),
            Node::Nest(kids) => {
                let o = out.begin(&[0x0a]);
                for k in kids {
                    via_out(out, k);
                }
                out.end(o);
            }
        }
    }

    fn direct(n: &Node) -> Vec<u8> {
        match n {
            Node::Leaf(k) => vec![0xAB; *k],
            Node::Nest(kids) => {
                let body: Vec<u8> = kids.iter().flat_map(direct).collect();
                let mut v = vec![0x0a];
                super::super::wire::put_varint(&mut v, body.len() as u64);
                v.extend(body);
                v
            }
        }
    }

    fn check(tree: &Node) {
        let mut out = Out::with_capacity(4);
        via_out(&mut out, tree);
        assert_eq!(out.finish(), direct(tree));
    }

    #[test]
    fn lengths_at_varint_boundaries_are_exact() {
        // Bodies of exactly 127/128/16383/16384 bytes, alone and nested so
        // that an inner widening pushes the outer body over a boundary.
        for k in [0, 1, 126, 127, 128, 129, 16_382, 16_383, 16_384, 2_097_152] {
            check(&Node::Nest(vec![Node::Leaf(k)]));
            check(&Node::Leaf(3));
            check(&Node::Nest(vec![Node::Nest(vec![Node::Leaf(k)])]));
            // 125 + 2 (inner key and 1-byte length) = 127 only if the
            // inner body stays < 128; 126 + inner of 128 -> 2-byte length.
            check(&Node::Nest(vec![
                Node::Leaf(2),
                Node::Nest(vec![Node::Leaf(k)]),
                Node::Leaf(1),
            ]));
        }
        // The outer body is 127 + the widening of the inner one.
        check(&Node::Nest(vec![Node::Nest(vec![Node::Leaf(124)])]));
        check(&Node::Nest(vec![Node::Nest(vec![Node::Leaf(125)])]));
        check(&Node::Nest(vec![Node::Nest(vec![Node::Leaf(128)])]));
        check(&Node::Nest(vec![Node::Nest(vec![Node::Leaf(16_380)])]));
        check(&Node::Nest(vec![Node::Nest(vec![Node::Leaf(16_381)])]));
    }

    #[test]
    fn base64_fast_path_agrees_with_the_full_decoder() {
        use base64::Engine as _;
        let engine = &base64::engine::general_purpose::STANDARD;
        let mut cases: Vec<String> = (0..40u8)
            .map(|n| engine.encode((0..n).map(|i| i.wrapping_mul(37)).collect::<Vec<_>>()))
            .collect();
        for bad in [
            "q83vEjRWeJCrze8SNFZ4kA=",
            "q83vEjRWeJCrze8SNFZ4kA===",
            "q8=v",
            "q8-_",
            "====",
            "QR==",
            "QUJ=",
            "QQ==",
            "QUI=",
            "a",
            "ab",
            "abc",
            "",
            "QQ=A",
            "Q===",
            "é=AA",
        ] {
            cases.push(bad.to_string());
        }
        for s in cases {
            let mut out = vec![7u8];
            let fast = base64_into(s.as_bytes(), &mut out).then(|| out[1..].to_vec());
            match engine.decode(&s) {
                Ok(full) => {
                    if let Some(f) = &fast {
                        assert_eq!(*f, full, "{s}");
                    }
                }
                Err(_) => assert!(fast.is_none(), "{s}: the fast path accepted it"),
            }
            if fast.is_none() {
                assert_eq!(out, [7u8], "{s}: nothing written on refusal");
            }
        }
        // The usual case (a 16-byte UUID) takes the fast path.
        let mut out = Vec::new();
        assert!(base64_into(b"q83vEjRWeJCrze8SNFZ4kA==", &mut out));
        assert_eq!(out.len(), 16);
    }

    #[test]
    fn deep_and_wide_trees_are_exact() {
        // 40 levels deep, each level with a sibling leaf around it.
        let mut t = Node::Leaf(5);
        for d in 0..40 {
            t = Node::Nest(vec![Node::Leaf(d * 7 % 130), t, Node::Leaf(d % 3)]);
        }
        check(&t);
        // Many siblings of mixed sizes, some long, some short.
        let kids = (0..300)
            .map(|i| {
                if i % 3 == 0 {
                    Node::Nest(vec![Node::Leaf(i), Node::Nest(vec![Node::Leaf(i * 2)])])
                } else {
                    Node::Leaf(i % 17)
                }
            })
            .collect();
        check(&Node::Nest(vec![Node::Nest(kids), Node::Leaf(1)]));
        check(&Node::Nest(Vec::new()));
    }
}
