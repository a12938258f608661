// The printable report's charts: drawn once with Chart.js from the answer the page
// was rendered from, then kept as images (canvas.toDataURL), which print sharply and
// at the size of the paper. The print button asks the browser to print.

import { readJson } from "../frontend/dom.js";
import { areaChart, areaChartHeight, chartHeight, chartRows, shareChart } from "./coverage-chart.js";
import { formatter } from "./format.js";

const WIDTH_PX = 900;
const PIXEL_RATIO = 2;

const answer = readJson("planning-answer");
const config = readJson("planning-config");
const { messages } = readJson("planning-labels");
const labels = { messages, fmt: formatter(config.lang), lang: config.lang };
const rows = chartRows(answer, { messages, wholeDistrict: config.wholeDistrict });

function asImage(box, draw, height) {
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH_PX;
  canvas.height = height;
  box.append(canvas);
  const chart = draw(canvas, rows, {
    ...labels,
    responsive: false,
    devicePixelRatio: PIXEL_RATIO,
  });
  const image = new Image();
  image.className = "plan-chart-image";
  image.alt = box.closest("figure").querySelector("figcaption").textContent;
  image.width = WIDTH_PX;
  image.height = height;
  image.src = chart.toBase64Image("image/png", 1);
  chart.destroy();
  canvas.replaceWith(image);
}

asImage(document.querySelector('[data-chart="share"]'), shareChart, chartHeight(rows));
asImage(document.querySelector('[data-chart="area"]'), areaChart, areaChartHeight(rows));
document.querySelector(".plan-print").addEventListener("click", () => window.print());
