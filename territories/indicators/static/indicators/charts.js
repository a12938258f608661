// The dashboard's charts (Chart.js from npm, the global `Chart`), drawn from the
// figures the page embeds as JSON (#indicators-charts): the same answer as its
// tables and /api/indicators/. No figure is computed here.

const COLOURS = ["#1a5fb4", "#26a269", "#e5a50a", "#c64600", "#613583", "#63452c", "#5e5c64"];

function bars(canvas, labels, datasets, lang, horizontal) {
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: datasets.map((set, i) => ({
        ...set,
        backgroundColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: lang,
      plugins: { legend: { position: "bottom" } },
    },
  });
}

function draw() {
  const source = document.getElementById("indicators-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const lang = document.documentElement.lang || "ru";
  const byYear = document.getElementById("chart-by-year");
  if (byYear) {
    const sets = data.rows.map((row) => ({ label: row.name, data: row.by_year }));
    bars(byYear, data.years.map(String), sets, lang, false);
  }
  const byTerritory = document.getElementById("chart-by-territory");
  if (byTerritory) {
    const sets = data.rows.map((row) => ({
      label: row.name,
      data: data.by_territory[row.code],
    }));
    bars(byTerritory, data.territories, sets, lang, true);
  }
  const reports = document.getElementById("chart-reports");
  if (reports) {
    const sets = ["opened", "closed", "fixed"].map((figure) => ({
      label: data.labels[figure],
      data: data.reports_by_year[figure],
    }));
    bars(reports, data.reports_years.map(String), sets, lang, false);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", draw);
} else {
  draw();
}
