//! Summaries of repeated wall-clock measurements.

use std::time::{Duration, Instant};

/// Repeated measurements of one thing, kept sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    sorted: Vec<Duration>,
}

impl Samples {
    pub fn new(mut samples: Vec<Duration>) -> Samples {
        assert!(!samples.is_empty(), "a summary needs at least one sample");
        samples.sort_unstable();
        Samples { sorted: samples }
    }

    /// Runs `f` `runs` times and records each wall time.
    pub fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Samples, T) {
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let out = f();
            times.push(t.elapsed());
            last = Some(out);
        }
        (Samples::new(times), last.expect("ran at least once"))
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The median; the mean of the two middle values for an even count.
    pub fn median(&self) -> Duration {
        let n = self.sorted.len();
        if n % 2 == 1 {
            self.sorted[n / 2]
        } else {
            (self.sorted[n / 2 - 1] + self.sorted[n / 2]) / 2
        }
    }

    pub fn min(&self) -> Duration {
        self.sorted[0]
    }

    pub fn max(&self) -> Duration {
        self.sorted[self.sorted.len() - 1]
    }

    /// The nearest-rank percentile, `p` in 0..=100.
    pub fn percentile(&self, p: f64) -> Duration {
        let n = self.sorted.len();
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        self.sorted[rank.clamp(1, n) - 1]
    }
}

/// Milliseconds with three decimals, as the tables print them.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(Samples::new(vec![d(3), d(1), d(2)]).median(), d(2));
        assert_eq!(
            Samples::new(vec![d(4), d(1), d(2), d(3)]).median(),
            d(2) + d(1) / 2
        );
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let s = Samples::new((1..=20).map(d).collect());
        assert_eq!(s.percentile(95.0), d(19));
        assert_eq!(s.percentile(100.0), d(20));
        assert_eq!(s.percentile(0.0), d(1));
        assert_eq!((s.min(), s.max()), (d(1), d(20)));
    }
}
