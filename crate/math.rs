//! Portable floating-point functions: the same bits in the browser and natively.
//!
//! `f64::exp`, `f64::ln` and friends call the platform's math library: glibc natively,
//! a Rust port of musl's libm in wasm. They may differ in the last bit, and then the
//! browser and the CLI would print different numbers for the same file. Every
//! transcendental function privaudit uses goes through [`Portable`], backed by the
//! `libm` crate on every target (`sqrt` and the arithmetic operators are correctly
//! rounded by IEEE 754 and need no help). `clippy.toml` forbids the platform methods.

/// Transcendental functions from `libm`, as methods on `f64` (prefix `p_`: portable).
pub trait Portable {
    /// eˣ.
    fn p_exp(self) -> f64;
    /// eˣ − 1, accurate near 0.
    fn p_exp_m1(self) -> f64;
    /// Natural logarithm.
    fn p_ln(self) -> f64;
    /// ln(1 + x), accurate near 0.
    fn p_ln_1p(self) -> f64;
    /// xʸ.
    fn p_powf(self, y: f64) -> f64;
    /// Base-10 logarithm.
    fn p_log10(self) -> f64;
    /// Base-2 logarithm.
    fn p_log2(self) -> f64;
    /// Sine.
    fn p_sin(self) -> f64;
    /// Cosine.
    fn p_cos(self) -> f64;
    /// Tangent.
    fn p_tan(self) -> f64;
    /// Arctangent.
    fn p_atan(self) -> f64;
    /// Cube root.
    fn p_cbrt(self) -> f64;
    /// Hyperbolic tangent.
    fn p_tanh(self) -> f64;
}

impl Portable for f64 {
    fn p_exp(self) -> f64 {
        libm::exp(self)
    }
    fn p_exp_m1(self) -> f64 {
        libm::expm1(self)
    }
    fn p_ln(self) -> f64 {
        libm::log(self)
    }
    fn p_ln_1p(self) -> f64 {
        libm::log1p(self)
    }
    fn p_powf(self, y: f64) -> f64 {
        libm::pow(self, y)
    }
    fn p_log10(self) -> f64 {
        libm::log10(self)
    }
    fn p_log2(self) -> f64 {
        libm::log2(self)
    }
    fn p_sin(self) -> f64 {
        libm::sin(self)
    }
    fn p_cos(self) -> f64 {
        libm::cos(self)
    }
    fn p_tan(self) -> f64 {
        libm::tan(self)
    }
    fn p_atan(self) -> f64 {
        libm::atan(self)
    }
    fn p_cbrt(self) -> f64 {
        libm::cbrt(self)
    }
    fn p_tanh(self) -> f64 {
        libm::tanh(self)
    }
}
