// Numbers and plural forms as the page's language writes them. Russian groups
// thousands with a narrow no-break space (2 478); the server's filters in
// templatetags/boundaries_format.py write the same.

import { interpolate } from "../frontend/dom.js";

const NARROW_NBSP = "\u202f";

export function formatter(lang) {
  const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const tenths = new Intl.NumberFormat(lang, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const plural = new Intl.PluralRules(lang);
  const spaced = (text) => text.replace(/[\u00a0 ]/g, NARROW_NBSP);
  return {
    count: (value) => spaced(whole.format(value)),
    squareMetres: (value) => spaced(whole.format(Math.round(value))),
    hectares: (areaM2) => spaced(tenths.format(areaM2 / 10000)),
    // forms: {one, few, many, other} with %(n)s
    plural(forms, n) {
      const form = forms[plural.select(n)] ?? forms.other;
      return interpolate(form, { n: spaced(whole.format(n)) });
    },
  };
}
