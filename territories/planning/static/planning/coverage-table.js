// The coverage API's answer as text: the summary beside the map and the table per
// territory with the district's row (templates/planning/coverage_table.html).

import { element } from "../frontend/dom.js";

export function showSummary(scope, answer, { messages, fmt }) {
  const say = (selector, template, params) => {
    scope.querySelector(selector).textContent = template
      ? fmt.interpolate(template, params)
      : "";
  };
  if (answer.coverage_share === null) {
    say(".plan-share", messages.noResidents, {});
  } else {
    say(".plan-share", messages.summaryShare, { share: fmt.share(answer.coverage_share) });
  }
  say(".plan-residents", messages.summaryResidents, {
    covered: fmt.count(answer.residents_covered),
    total: fmt.count(answer.residents_total),
  });
  say(".plan-area", messages.summaryArea, {
    area: fmt.squareMetres(answer.ground_area_m2),
    norm: fmt.squareMetres(answer.norm_area_m2),
  });
  if (answer.deficit_m2 > 0) {
    say(".plan-deficit", messages.summaryDeficit, {
      deficit: fmt.squareMetres(answer.deficit_m2),
    });
  } else {
    say(".plan-deficit", messages.summaryNoDeficit, {});
  }
  scope.querySelector(".plan-deficit").classList.toggle("is-deficit", answer.deficit_m2 > 0);
}

// The district's row only when the whole district was asked: with one TOS chosen
// the answer's own figures are that TOS's, already in the body.
export function showTable(table, answer, { messages, fmt, wholeDistrict }) {
  const body = table.tBodies[0];
  body.replaceChildren(
    ...answer.territories.map((row) => {
      const tr = tableRow(row.name, row, fmt);
      tr.dataset.territory = row.id;
      return tr;
    }),
  );
  const foot = table.tFoot;
  if (wholeDistrict) {
    const total = tableRow(messages.district, answer, fmt);
    total.className = "plan-total";
    foot.replaceChildren(total);
  } else {
    foot.replaceChildren();
  }
}

function tableRow(name, figures, fmt) {
  const number = (text, extra = "") => element("td", `number${extra}`, text);
  return element("tr", null, [
    heading(name),
    number(fmt.count(figures.residents_total)),
    number(fmt.count(figures.residents_covered)),
    number(fmt.share(figures.coverage_share), " plan-share-cell"),
    number(fmt.squareMetres(figures.ground_area_m2)),
    number(fmt.squareMetres(figures.norm_area_m2)),
    number(fmt.squareMetres(figures.deficit_m2), figures.deficit_m2 > 0 ? " is-deficit" : ""),
  ]);
}

function heading(name) {
  const th = element("th", null, name);
  th.scope = "row";
  return th;
}
