//! Log-linear latency histogram in microseconds.
//!
//! Values below 256 µs are kept exactly; above that every power of two is split into 128 buckets, so a
//! reported percentile is never more than 1/128 (< 0.8 %) above the true sample. Memory stays bounded
//! however long the run is, which a per-sample vector would not.

/// Values below this are their own bucket.
const EXACT: u64 = 256;
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;

#[derive(Debug, Clone, Default)]
pub(crate) struct Histogram {
    /// Grown on demand: a run whose latencies stay below a second never allocates the upper buckets.
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

fn index(value: u64) -> usize {
    if value < EXACT {
        return value as usize;
    }
    let msb = 63 - value.leading_zeros();
    let mantissa = value >> (msb - SUB_BITS);
    (EXACT + u64::from(msb - 8) * SUB + (mantissa - SUB)) as usize
}

/// The largest value that lands in bucket `index`; reporting it means percentiles err on the high side,
/// so "p50 ≥ service time" style checks hold.
fn highest_equivalent(index: usize) -> u64 {
    let index = index as u64;
    if index < EXACT {
        return index;
    }
    let octave = (index - EXACT) / SUB;
    let mantissa = (index - EXACT) % SUB + SUB;
    let shift = octave + 8 - u64::from(SUB_BITS);
    // Written so the top bucket ends at u64::MAX without overflowing.
    (mantissa << shift) + ((1 << shift) - 1)
}

impl Histogram {
    pub(crate) fn record(&mut self, micros: u64) {
        let i = index(micros);
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.total += 1;
        self.max = self.max.max(micros);
    }

    pub(crate) fn merge(&mut self, other: &Histogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    pub(crate) fn max(&self) -> u64 {
        self.max
    }

    /// Nearest-rank percentile, `quantile` in 0..=1; 0 when empty.
    pub(crate) fn percentile(&self, quantile: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((quantile * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return highest_equivalent(i).min(self.max);
            }
        }
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_narrow() {
        let mut value = 0u64;
        while value < 1 << 40 {
            let i = index(value);
            let high = highest_equivalent(i);
            assert!(high >= value, "{value} above its bucket top {high}");
            assert_eq!(index(high), i);
            assert_eq!(index(high + 1), i + 1, "gap after {high}");
            assert!((high - value) as f64 <= value as f64 / 128.0, "bucket of {value} too wide");
            value = high + 1 + value / 7;
        }
        assert_eq!(highest_equivalent(index(u64::MAX)), u64::MAX);
    }

    #[test]
    fn percentiles_within_one_percent_of_exact() {
        // Deterministic xorshift spread over 50 µs .. ~1.6 s so every octave is exercised.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut samples = Vec::new();
        let mut hist = Histogram::default();
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = 50 + (state % 1000) * (1 << (state % 15)) / 10;
            samples.push(value);
            hist.record(value);
        }
        samples.sort_unstable();
        for q in [0.5, 0.9, 0.99, 0.999] {
            let exact = samples[((q * samples.len() as f64).ceil() as usize) - 1];
            let approx = hist.percentile(q);
            assert!(approx >= exact, "p{q}: {approx} < {exact}");
            assert!((approx - exact) as f64 <= exact as f64 * 0.01, "p{q}: {approx} vs {exact}");
        }
        assert_eq!(hist.percentile(1.0), *samples.last().unwrap_or(&0));
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = Histogram::default();
        let mut b = Histogram::default();
        a.record(10);
        b.record(100_000);
        b.record(20);
        a.merge(&b);
        assert_eq!(a.percentile(0.0), 10);
        assert_eq!(a.percentile(0.5), 20);
        assert_eq!(a.max(), 100_000);
        assert_eq!(Histogram::default().percentile(0.99), 0);
    }
}
