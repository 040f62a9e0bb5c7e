//! The crate's sorts, all through two functions. Each instantiation of std's generic sorts
//! is kilobytes of wasm (quicksort, small sorts and pivot choice, per element type and
//! comparator): integer keys are packed into a `u128` and sorted by one `sort_unstable`
//! (fast on the million units of a big plan), anything else takes the positions of
//! [`stable_order`], one small merge sort behind a `dyn` comparator. Repeated names are
//! found the same way ([`first_occurrences`]): no hash table, whose code is also
//! instantiated per key and value type.

use crate::Day;

/// Sorts packed keys ascending.
pub(crate) fn sort_keys(keys: &mut [u128]) {
    keys.sort_unstable();
}

/// Positions `0..keys.len()` sorted by their `(major, minor)` key, positions with equal keys
/// in order. The key and the position are packed into one `u128` (major in the high 64 bits,
/// minor in the next 32, the position in the low 32) so that the sort is the one
/// [`sort_keys`]: on 300,000 findings it takes half the time of a comparison sort through a
/// closure. A position is never read back from anything but its own 32 bits.
pub(crate) fn sorted_positions(keys: impl Iterator<Item = (u64, u32)>) -> Vec<usize> {
    let mut packed: Vec<u128> = Vec::new();
    for (position, (major, minor)) in keys.enumerate() {
        let position = u32::try_from(position).expect("fewer than 2^32 items to sort");
        packed.push(u128::from(major) << 64 | u128::from(minor) << 32 | u128::from(position));
    }
    sort_keys(&mut packed);
    packed.into_iter().map(|key| key as u32 as usize).collect()
}

/// Positions `0..len` in the order `less` gives; positions that compare equal keep their
/// order (a stable sort).
pub(crate) fn stable_order(len: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged = order.clone();
    let mut width = 1;
    while width < len {
        for start in (0..len).step_by(2 * width) {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut left, mut right) = (start, mid);
            for slot in &mut merged[start..end] {
                // The right run goes first only when strictly less: equal keys keep order.
                if right < end && (left == mid || less(order[right], order[left])) {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// For each name, the position of its first occurrence (its own position when it is the
/// first), like `HashSet::insert` in a loop but without hashing.
pub(crate) fn first_occurrences(names: &[&str]) -> Vec<usize> {
    let order = stable_order(names.len(), &|a, b| names[a] < names[b]);
    let mut first = vec![0; names.len()];
    let mut run = 0;
    for (k, &i) in order.iter().enumerate() {
        if k == 0 || names[order[k - 1]] != names[i] {
            run = i;
        }
        first[i] = run;
    }
    first
}

/// A day as 32 bits that sort like the day.
pub(crate) fn day_bits(day: Day) -> u128 {
    u128::from(day.days_since(Day::EPOCH) as u32 ^ 0x8000_0000)
}

pub(crate) fn day_of_bits(bits: u128) -> Day {
    Day::EPOCH.plus_days((bits as u32 ^ 0x8000_0000) as i32)
}

/// Inclusive day ranges, sorted, with overlapping and adjacent ones joined.
pub(crate) fn merged_ranges(ranges: impl Iterator<Item = (Day, Day)>) -> Vec<(Day, Day)> {
    let mut keys: Vec<u128> = ranges
        .map(|(a, b)| day_bits(a) << 32 | day_bits(b))
        .collect();
    sort_keys(&mut keys);
    let mut out: Vec<(Day, Day)> = Vec::with_capacity(keys.len());
    for key in keys {
        let (a, b) = (day_of_bits(key >> 32), day_of_bits(key));
        match out.last_mut() {
            Some(last) if a <= last.1.succ() => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_order_is_a_stable_sort() {
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        for len in 0..70 {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    ((rng % 5) as u8, i)
                })
                .collect();
            let order = stable_order(len, &|a, b| items[a].0 < items[b].0);
            let got: Vec<(u8, usize)> = order.iter().map(|&i| items[i]).collect();
            let mut want = items.clone();
            want.sort_by_key(|x| x.0);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn sorted_positions_sort_by_key_then_position() {
        let keys = [(2, 0), (1, 9), (2, 0), (0, u32::MAX), (u64::MAX, 0), (1, 3)];
        let mut want: Vec<usize> = (0..keys.len()).collect();
        want.sort_by_key(|&i| (keys[i], i));
        assert_eq!(sorted_positions(keys.into_iter()), want);
        assert_eq!(want, [3, 5, 1, 0, 2, 4]);
    }

    #[test]
    fn first_occurrences_point_back() {
        let names = ["b", "a", "b", "c", "a", "b"];
        assert_eq!(first_occurrences(&names), [0, 1, 0, 3, 1, 0]);
        assert!(first_occurrences(&[]).is_empty());
    }

    #[test]
    fn day_bits_sort_like_days() {
        let days = [i32::MIN, -1, 0, 1, 19_000, i32::MAX].map(|n| Day::EPOCH.plus_days(n));
        for pair in days.windows(2) {
            assert!(day_bits(pair[0]) < day_bits(pair[1]));
        }
        for d in days {
            assert_eq!(day_of_bits(day_bits(d)), d);
        }
    }
}
