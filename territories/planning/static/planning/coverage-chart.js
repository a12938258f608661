// The coverage API's answer as two bar charts (Chart.js from npm, the global
// `Chart`): the share of residents within reach per territory, and the grounds' area
// against the norm's. The same charts are drawn on the planner page and, turned into
// images, on the printable report.

const BAR_PX = 30;
const AXES_PX = 80;
const SHARE = { territory: "#62a0ea", district: "#1a5fb4" };
const AREA = { ground: "#2ec27e", norm: "#9a9996" };

// The rows the charts show: the territories, then the district when it was asked.
export function chartRows(answer, { messages, wholeDistrict }) {
  const rows = answer.territories.map((row) => ({ ...row, isTotal: false }));
  if (wholeDistrict) rows.push({ ...answer, name: messages.district, isTotal: true });
  return rows;
}

export function chartHeight(rows) {
  return AXES_PX + rows.length * BAR_PX;
}

// Two bars a territory, and the legend below.
export function areaChartHeight(rows) {
  return AXES_PX + 30 + rows.filter((row) => !row.isTotal).length * BAR_PX * 1.6;
}

export function shareChart(canvas, rows, { messages, fmt, lang, ...options }) {
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((row) => row.name),
      datasets: [
        {
          label: messages.shareAxis,
          data: rows.map((row) =>
            row.coverage_share === null ? null : row.coverage_share * 100,
          ),
          backgroundColor: rows.map((row) => (row.isTotal ? SHARE.district : SHARE.territory)),
        },
      ],
    },
    options: {
      ...common(lang, options),
      scales: {
        x: {
          min: 0,
          max: 100,
          title: { display: true, text: messages.shareAxis },
          ticks: { callback: (value) => fmt.percentTick(value) },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: { label: (item) => fmt.share(rows[item.dataIndex].coverage_share) },
        },
      },
    },
  });
}

// The district's norm dwarfs every territory's: its figures are in the table, the
// chart compares the territories.
export function areaChart(canvas, allRows, { messages, fmt, lang, ...options }) {
  const rows = allRows.filter((row) => !row.isTotal);
  const square = (value) => `${fmt.squareMetres(value)} ${messages.areaAxis}`;
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((row) => row.name),
      datasets: [
        {
          label: messages.groundSeries,
          data: rows.map((row) => row.ground_area_m2),
          backgroundColor: AREA.ground,
        },
        {
          label: messages.normSeries,
          data: rows.map((row) => row.norm_area_m2),
          backgroundColor: AREA.norm,
        },
      ],
    },
    options: {
      ...common(lang, options),
      scales: {
        x: {
          beginAtZero: true,
          title: { display: true, text: messages.areaAxis },
          ticks: { callback: (value) => fmt.squareMetres(value) },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: { label: (item) => `${item.dataset.label}: ${square(item.raw)}` },
        },
      },
    },
  });
}

function common(lang, { responsive = true, devicePixelRatio } = {}) {
  return {
    indexAxis: "y",
    locale: lang,
    // Drawn at once: the page shows figures, and the report copies the canvas.
    animation: false,
    responsive,
    maintainAspectRatio: false,
    ...(devicePixelRatio ? { devicePixelRatio } : {}),
  };
}

// The two charts on the planner page, drawn again for each answer.
export class CoverageCharts {
  constructor(shareCanvas, areaCanvas, labels) {
    Object.assign(this, { shareCanvas, areaCanvas, labels });
    this.charts = [];
  }

  show(answer, wholeDistrict) {
    this.charts.splice(0).forEach((chart) => chart.destroy());
    const rows = chartRows(answer, { messages: this.labels.messages, wholeDistrict });
    this.shareCanvas.parentElement.style.height = `${chartHeight(rows)}px`;
    this.areaCanvas.parentElement.style.height = `${areaChartHeight(rows)}px`;
    this.charts.push(
      shareChart(this.shareCanvas, rows, this.labels),
      areaChart(this.areaCanvas, rows, this.labels),
    );
  }
}
