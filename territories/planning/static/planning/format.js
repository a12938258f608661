// Numbers as the page's language writes them. Russian groups thousands with a narrow
// no-break space (2 478); templatetags/planning_format.py writes the same on the
// printable report, so the page and the report show the same digits.

import { interpolate } from "../frontend/dom.js";

const NARROW_NBSP = "\u202f";

export function formatter(lang) {
  const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(lang, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const wholePercent = new Intl.NumberFormat(lang, { style: "percent" });
  // Thousands apart with a narrow space; a per cent sign keeps its no-break space.
  const spaced = (text) => text.replace(/[\u00a0 ](?!%)/g, NARROW_NBSP);
  const dash = (value, write) => (value === null || value === undefined ? "—" : write(value));
  return {
    count: (value) => dash(value, (v) => spaced(whole.format(v))),
    squareMetres: (value) => dash(value, (v) => spaced(whole.format(v))),
    // A share 0…1 as per cent with one decimal: 62,3 % (English: 62.3%).
    share: (value) => dash(value, (v) => spaced(percent.format(v))),
    // A chart's tick, 0…100: 40 %.
    percentTick: (value) => spaced(wholePercent.format(value / 100)),
    interpolate,
  };
}
