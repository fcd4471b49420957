//! The font charts are measured and rasterised with, embedded so reports look the same
//! on every machine (DejaVu Sans, see assets/fonts/LICENSE-DejaVu.txt).

use std::sync::Once;

use plotters::style::FontStyle;

static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name charts use; SVG output names it, PNG output rasterises it.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font with plotters once per process.
pub fn ensure_registered() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // A font that fails to parse leaves plotters without glyphs; text is then skipped,
        // which still yields a readable chart, so the error is deliberately not fatal.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS);
    });
}
