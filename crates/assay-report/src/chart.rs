//! Chart descriptions and their rendering with plotters, to SVG text or PNG bytes.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::ReportError;
use crate::{font, format};

/// One data series of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per category.
    pub values: Vec<f64>,
}

/// A chart, described by its data; rendering decides pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Equal-width bins on a numeric axis.
    Histogram {
        /// Title.
        title: String,
        /// Bin edges (`counts.len() + 1`).
        edges: Vec<f64>,
        /// Values per bin.
        counts: Vec<f64>,
    },
    /// Bars per category, one bar per series side by side.
    Bars {
        /// Title.
        title: String,
        /// Category labels.
        labels: Vec<String>,
        /// The series (one colour each).
        series: Vec<Series>,
        /// Categories down the side (long labels) instead of along the bottom.
        horizontal: bool,
    },
    /// A square matrix of values in -1..1, coloured blue (negative) to red (positive).
    Heatmap {
        /// Title.
        title: String,
        /// Row and column labels.
        labels: Vec<String>,
        /// `values[row][column]`; `None` is drawn grey.
        values: Vec<Vec<Option<f64>>>,
    },
    /// Cells on (rows) x (columns) that are set, drawn dark; e.g. where values are missing.
    Presence {
        /// Title.
        title: String,
        /// Column labels.
        columns: Vec<String>,
        /// `cells[row][column]`.
        cells: Vec<Vec<bool>>,
    },
}

/// Pixel size of a rendered chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl ChartSize {
    /// A size in pixels.
    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }
}

const BLUE_: RGBColor = RGBColor(59, 110, 165);
const ORANGE_: RGBColor = RGBColor(230, 126, 34);
const PALETTE: [RGBColor; 4] = [
    BLUE_,
    ORANGE_,
    RGBColor(46, 160, 67),
    RGBColor(142, 68, 173),
];
const INK: RGBColor = RGBColor(60, 64, 72);

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Histogram { title, .. }
            | Chart::Bars { title, .. }
            | Chart::Heatmap { title, .. }
            | Chart::Presence { title, .. } => title,
        }
    }

    /// Renders the chart as an SVG document.
    pub fn to_svg(&self, size: ChartSize) -> Result<String, ReportError> {
        self.guarded(|| self.svg(size))
    }

    /// Renders the chart as a PNG image.
    pub fn to_png(&self, size: ChartSize) -> Result<Vec<u8>, ReportError> {
        self.guarded(|| self.png(size))
    }

    /// Runs a render, turning a panic inside the drawing library into an error for this chart.
    fn guarded<T>(
        &self,
        render: impl FnOnce() -> Result<T, ReportError>,
    ) -> Result<T, ReportError> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(render))
            .unwrap_or_else(|_| Err(self.chart_error("the drawing library failed on this data")))
    }

    fn svg(&self, size: ChartSize) -> Result<String, ReportError> {
        font::ensure_registered();
        let mut out = String::new();
        {
            let root =
                SVGBackend::with_string(&mut out, (size.width, size.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| self.chart_error(e))?;
        }
        Ok(out)
    }

    fn png(&self, size: ChartSize) -> Result<Vec<u8>, ReportError> {
        font::ensure_registered();
        let mut pixels = vec![0u8; size.width as usize * size.height as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, (size.width, size.height))
                .into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| self.chart_error(e))?;
        }
        self.encode_png(size, &pixels)
    }

    fn encode_png(&self, size: ChartSize, rgb: &[u8]) -> Result<Vec<u8>, ReportError> {
        let png_error = |e: png::EncodingError| ReportError::Png {
            chart: self.title().to_string(),
            message: e.to_string(),
        };
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, size.width, size.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(rgb).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
        Ok(out)
    }

    fn chart_error(&self, e: impl std::fmt::Display) -> ReportError {
        ReportError::Chart {
            chart: self.title().to_string(),
            message: e.to_string(),
        }
    }

    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ReportError> {
        root.fill(&WHITE).map_err(|e| self.chart_error(e))?;
        let title_style = (font::FAMILY, 15).into_font().color(&INK);
        let root = &root
            .titled(self.title(), title_style)
            .map_err(|e| self.chart_error(e))?;
        let drawn = match self {
            Chart::Histogram { edges, counts, .. } => draw_histogram(root, edges, counts),
            Chart::Bars {
                labels,
                series,
                horizontal,
                ..
            } => draw_bars(root, labels, series, *horizontal),
            Chart::Heatmap { labels, values, .. } => draw_heatmap(root, labels, values),
            Chart::Presence { columns, cells, .. } => draw_presence(root, columns, cells),
        };
        drawn.map_err(|e| self.chart_error(e))
    }
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

fn label_font<'a>() -> TextStyle<'a> {
    (font::FAMILY, 13).into_font().color(&INK)
}

fn draw_histogram<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    edges: &[f64],
    counts: &[f64],
) -> Drawn {
    let (lo, hi) = match (edges.first(), edges.last()) {
        (Some(&lo), Some(&hi)) if hi > lo => (lo, hi),
        (Some(&lo), _) => (lo - 0.5, lo + 0.5),
        _ => (0.0, 1.0),
    };
    let top = counts.iter().copied().fold(0.0, f64::max).max(1.0) * 1.05;
    let mut chart = ChartBuilder::on(root)
        .margin(6)
        .x_label_area_size(22)
        .y_label_area_size(52)
        .build_cartesian_2d(lo..hi, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_label_formatter(&|v| format::number(*v))
        .y_label_formatter(&|v| format::number(*v))
        .label_style(label_font())
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(190, 190, 190))
        .draw()?;
    let bins = edges.windows(2).zip(counts).map(|(w, &c)| {
        let mut r = Rectangle::new([(w[0], 0.0), (w[1], c)], BLUE_.mix(0.85).filled());
        r.set_margin(0, 0, 0, 1);
        r
    });
    chart.draw_series(bins)?;
    Ok(())
}

fn draw_bars<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    series: &[Series],
    horizontal: bool,
) -> Drawn {
    let n = labels.len().max(1) as u32;
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.08;
    let short: Vec<String> = labels.iter().map(|l| format::truncate(l, 18)).collect();
    let longest = short.iter().map(|l| l.chars().count()).max().unwrap_or(1) as u32;
    let legend = if series.len() > 1 { 18 } else { 0 };
    let area = root.margin(legend, 0, 0, 0);
    let category = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => short.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    // Down the side, the first category goes on top.
    let from_top = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) if *i < n => category(&SegmentValue::CenterOf(n - 1 - i)),
        _ => String::new(),
    };
    let groups = series.len().max(1) as f64;
    if horizontal {
        let mut chart = ChartBuilder::on(&area)
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size((longest * 7 + 10).min(150))
            .build_cartesian_2d(0.0..top, (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(4)
            .y_labels(n as usize)
            .x_label_formatter(&|v| format::number(*v))
            .y_label_formatter(&from_top)
            .label_style(label_font())
            .light_line_style(TRANSPARENT)
            .axis_style(RGBColor(190, 190, 190))
            .draw()?;
        let height = chart.plotting_area().dim_in_pixel().1 as f64 / n as f64;
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let slot = (height * 0.8 / groups).max(1.0);
            let top_gap = (height * 0.1 + slot * k as f64) as u32;
            let bottom_gap = (height - height * 0.1 - slot * (k + 1) as f64).max(0.0) as u32;
            chart.draw_series(s.values.iter().enumerate().map(|(i, &v)| {
                let i = n - 1 - i as u32;
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(i)),
                        (v, SegmentValue::Exact(i + 1)),
                    ],
                    colour.mix(0.85).filled(),
                );
                r.set_margin(top_gap, bottom_gap, 0, 0);
                r
            }))?;
        }
    } else {
        let mut chart = ChartBuilder::on(&area)
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size(52)
            .build_cartesian_2d((0..n).into_segmented(), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels((n as usize).min(8))
            .y_labels(4)
            .x_label_formatter(&category)
            .y_label_formatter(&|v| format::number(*v))
            .label_style(label_font())
            .light_line_style(TRANSPARENT)
            .axis_style(RGBColor(190, 190, 190))
            .draw()?;
        let width = chart.plotting_area().dim_in_pixel().0 as f64 / n as f64;
        for (k, s) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let slot = (width * 0.8 / groups).max(1.0);
            let left = (width * 0.1 + slot * k as f64) as u32;
            let right = (width - width * 0.1 - slot * (k + 1) as f64).max(0.0) as u32;
            chart.draw_series(s.values.iter().enumerate().map(|(i, &v)| {
                let i = i as u32;
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), v),
                    ],
                    colour.mix(0.85).filled(),
                );
                r.set_margin(0, 0, left, right);
                r
            }))?;
        }
    }
    if series.len() > 1 {
        draw_legend(root, series)?;
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> Drawn {
    let mut x = 60;
    for (k, s) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        root.draw(&Rectangle::new([(x, 5), (x + 10, 15)], colour.filled()))?;
        root.draw(&Text::new(s.name.clone(), (x + 14, 4), label_font()))?;
        x += 24 + 7 * s.name.chars().count() as i32;
    }
    Ok(())
}

fn diverging(v: f64) -> RGBColor {
    let t = v.clamp(-1.0, 1.0);
    let (end, s) = if t < 0.0 {
        ((33.0, 102.0, 172.0), -t)
    } else {
        ((178.0, 24.0, 43.0), t)
    };
    let mix = |e: f64| (247.0 + (e - 247.0) * s).round() as u8;
    RGBColor(mix(end.0), mix(end.1), mix(end.2))
}

fn draw_heatmap<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    values: &[Vec<Option<f64>>],
) -> Drawn {
    let n = labels.len().max(1) as u32;
    let short: Vec<String> = labels.iter().map(|l| format::truncate(l, 14)).collect();
    let longest = short.iter().map(|l| l.chars().count()).max().unwrap_or(1) as u32;
    // Row 0 on top, so the diagonal runs from the top left.
    let row_name = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) if *i < n => {
            short.get((n - 1 - i) as usize).cloned().unwrap_or_default()
        }
        _ => String::new(),
    };
    let mut chart = ChartBuilder::on(root)
        .margin(6)
        .x_label_area_size((longest * 7 + 12).min(110))
        .y_label_area_size((longest * 7 + 12).min(110))
        .build_cartesian_2d((0..n).into_segmented(), (0..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(n as usize)
        .x_label_formatter(&|_| String::new())
        .y_labels(n as usize)
        .y_label_formatter(&row_name)
        .y_label_style(label_font())
        .axis_style(RGBColor(190, 190, 190))
        .draw()?;
    let cells = values.iter().enumerate().flat_map(|(row, line)| {
        line.iter().enumerate().map(move |(col, v)| {
            let (r, c) = (n - 1 - row as u32, col as u32);
            let colour = v.map(diverging).unwrap_or(RGBColor(220, 220, 220));
            let mut rect = Rectangle::new(
                [
                    (SegmentValue::Exact(c), SegmentValue::Exact(r)),
                    (SegmentValue::Exact(c + 1), SegmentValue::Exact(r + 1)),
                ],
                colour.filled(),
            );
            rect.set_margin(1, 0, 1, 0);
            rect
        })
    });
    chart.draw_series(cells)?;
    let anchors: Vec<(i32, i32)> = (0..short.len() as u32)
        .map(|i| chart.backend_coord(&(SegmentValue::CenterOf(i), SegmentValue::Exact(0))))
        .collect();
    column_names(root, &short, &anchors)
}

/// Column names written downwards, each starting just under its column's anchor (backend
/// pixels on the x axis).
fn column_names<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    names: &[String],
    anchors: &[(i32, i32)],
) -> Drawn {
    let style = label_font()
        .transform(FontTransform::Rotate90)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (bx, by) = root.get_base_pixel();
    for (name, (x, y)) in names.iter().zip(anchors) {
        root.draw(&Text::new(
            name.clone(),
            (x - bx, y - by + 6),
            style.clone(),
        ))?;
    }
    Ok(())
}

fn draw_presence<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    columns: &[String],
    cells: &[Vec<bool>],
) -> Drawn {
    let n = columns.len().max(1) as u32;
    let rows = cells.len().max(1) as u32;
    let short: Vec<String> = columns.iter().map(|l| format::truncate(l, 14)).collect();
    let longest = short.iter().map(|l| l.chars().count()).max().unwrap_or(1) as u32;
    let mut chart = ChartBuilder::on(root)
        .margin(6)
        .x_label_area_size((longest * 7 + 12).min(110))
        .y_label_area_size(40)
        .build_cartesian_2d((0..n).into_segmented(), 0..rows)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(n as usize)
        .x_label_formatter(&|_| String::new())
        .y_labels(3)
        .y_label_style(label_font())
        .axis_style(RGBColor(190, 190, 190))
        .draw()?;
    let marks = cells.iter().enumerate().flat_map(|(row, line)| {
        line.iter()
            .enumerate()
            .filter(|(_, set)| **set)
            .map(move |(col, _)| {
                let (r, c) = (rows - 1 - row as u32, col as u32);
                Rectangle::new(
                    [
                        (SegmentValue::Exact(c), r),
                        (SegmentValue::Exact(c + 1), r + 1),
                    ],
                    INK.mix(0.8).filled(),
                )
            })
    });
    chart.draw_series(marks)?;
    let anchors: Vec<(i32, i32)> = (0..short.len() as u32)
        .map(|i| chart.backend_coord(&(SegmentValue::CenterOf(i), 0)))
        .collect();
    column_names(root, &short, &anchors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn histogram() -> Chart {
        Chart::Histogram {
            title: "dep_delay".into(),
            edges: vec![0.0, 1.0, 2.0, 3.0],
            counts: vec![5.0, 10.0, 2.0],
        }
    }

    #[test]
    fn svg_has_one_rectangle_per_bin_and_axis_labels() {
        let svg = histogram()
            .to_svg(ChartSize::new(320, 160))
            .expect("renders");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        // background + 3 bins
        assert!(svg.matches("<rect").count() >= 4);
        let compact: String = svg.split_whitespace().collect();
        assert!(
            compact.contains(">10</text>"),
            "y axis labels the tallest bin's scale: {svg}"
        );
    }

    #[test]
    fn png_is_a_valid_image_of_the_requested_size() {
        let png_bytes = histogram()
            .to_png(ChartSize::new(300, 150))
            .expect("renders");
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        assert_eq!((info.width, info.height), (300, 150));
    }

    #[test]
    fn degenerate_inputs_still_render() {
        let charts = [
            Chart::Histogram {
                title: "constant".into(),
                edges: vec![4.0, 4.0],
                counts: vec![7.0],
            },
            Chart::Bars {
                title: "empty".into(),
                labels: vec![],
                series: vec![],
                horizontal: true,
            },
            Chart::Heatmap {
                title: "one".into(),
                labels: vec!["a".into()],
                values: vec![vec![None]],
            },
            Chart::Presence {
                title: "none".into(),
                columns: vec![],
                cells: vec![],
            },
        ];
        for c in charts {
            c.to_svg(ChartSize::new(200, 120))
                .unwrap_or_else(|e| panic!("{}: {e}", c.title()));
        }
    }

    #[test]
    fn diverging_scale_ends() {
        assert_eq!(diverging(0.0), RGBColor(247, 247, 247));
        assert_eq!(diverging(1.0), RGBColor(178, 24, 43));
        assert_eq!(diverging(-2.0), RGBColor(33, 102, 172));
    }
}
