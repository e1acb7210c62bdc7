//! Bar charts drawn on the server as SVG, readable without JavaScript: each bar carries its
//! value as a tooltip title, and every page shows the same numbers in a table beside the chart.

/// One bar of a chart, laid out in the SVG's own units.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// `12 Nov: $1,250.00`, as the tooltip says it.
    pub title: String,
}

/// A bar chart as the template draws it.
pub struct Chart {
    /// For `aria-labelledby`: unique on the page.
    pub id: &'static str,
    pub caption: String,
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
    /// The top of the scale, as the axis label says it.
    pub max_label: String,
    pub first_label: String,
    pub last_label: String,
    /// The rows of the table beside it: label and value.
    pub rows: Vec<(String, String)>,
}

const WIDTH: i64 = 720;
const HEIGHT: i64 = 200;
const TOP: i64 = 16;
const BOTTOM: i64 = 20;

/// A chart of `points` (label, value, value as shown); bars scale to the largest value.
pub fn bars(id: &'static str, caption: &str, points: &[(String, i64, String)]) -> Chart {
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let n = i64::try_from(points.len()).unwrap_or(1).max(1);
    let slot = WIDTH / n;
    let gap = (slot / 5).max(1);
    let room = HEIGHT - TOP - BOTTOM;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, value, shown))| {
            // Rounded to the nearest unit so that a small but non-zero value still shows.
            let height = if *value > 0 { ((value * room + max / 2) / max).max(1) } else { 0 };
            Bar {
                x: i64::try_from(i).unwrap_or(0) * slot + gap / 2,
                y: TOP + room - height,
                width: (slot - gap).max(1),
                height,
                title: format!("{label}: {shown}"),
            }
        })
        .collect();
    let shown_max = points.iter().max_by_key(|p| p.1).map(|p| p.2.clone()).unwrap_or_default();
    Chart {
        id,
        caption: caption.to_owned(),
        width: WIDTH,
        height: HEIGHT,
        bars,
        max_label: shown_max,
        first_label: points.first().map(|p| p.0.clone()).unwrap_or_default(),
        last_label: points.last().map(|p| p.0.clone()).unwrap_or_default(),
        rows: points.iter().map(|p| (p.0.clone(), p.2.clone())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_a_small_value_still_shows() {
        let points: Vec<_> =
            [0, 5, 1000, 1].iter().enumerate().map(|(i, v)| (format!("d{i}"), *v, v.to_string())).collect();
        let c = bars("c", "Sales", &points);
        let heights: Vec<i64> = c.bars.iter().map(|b| b.height).collect();
        assert_eq!(heights[0], 0);
        assert_eq!(heights[2], HEIGHT - TOP - BOTTOM);
        assert!(heights[1] >= 1 && heights[3] >= 1);
        assert!(c.bars.iter().all(|b| b.y + b.height == HEIGHT - BOTTOM && b.x + b.width <= WIDTH));
        assert_eq!((c.first_label.as_str(), c.last_label.as_str(), c.max_label.as_str()), ("d0", "d3", "1000"));
        assert_eq!(bars("e", "Empty", &[]).bars.len(), 0);
    }
}
