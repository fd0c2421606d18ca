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

    /// Open a length-delimited field: its key, then a one-byte length
    /// placeholder.
    #[inline]
    pub(super) fn begin(&mut self, tag: &[u8]) -> Open {
        self.buf.extend_from_slice(tag);
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
