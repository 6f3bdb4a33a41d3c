//! Deterministic noise for the demo data: the same seed gives the same company every time.

/// A small, deterministic random source (xorshift64*), enough for plausible noise.
pub struct Noise(pub u64);

impl Noise {
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal, mean 0 and deviation 1 (sum of uniforms).
    pub fn gauss(&mut self) -> f64 {
        (0..6).map(|_| self.next()).sum::<f64>() - 3.0
    }

    pub fn log_normal(&mut self, median: f64, spread: f64) -> f64 {
        median * (self.gauss() * spread).exp()
    }
}
