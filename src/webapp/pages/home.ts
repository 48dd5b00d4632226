import type { FarmLog, Product } from '../../../shapes/access/types';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import { describeAgo } from '../relativeTime';
import type { Texts } from '../texts';

/** One container of the pod: its name, how many items it holds and when one last changed. */
export interface ContainerSummary {
  name: string;
  count: number;
  lastChange?: Date;
}

/** What the home page shows. */
export interface HomeData {
  containers: ContainerSummary[];
  products: Product[];
  harvests: FarmLog[];
  now: Date;
}

/** Home / My data: the pod's containers, the catalog with inline edit of price and stock, the harvest chart. */
export function renderHome(texts: Texts, root: string, session: MemberSession, data: HomeData): SafeHtml {
  const t = texts.home;
  return html`<h1>${t.title}</h1>
<section aria-labelledby="containers"><h2 id="containers">${t.containers}</h2>
<table class="stack"><thead><tr><th scope="col">${t.container}</th><th scope="col" class="num">${t.count}</th><th scope="col">${t.lastChange}</th></tr></thead>
<tbody>${data.containers.map((container) => html`<tr><td data-label="${t.container}">${container.name}/</td>
<td data-label="${t.count}" class="num">${container.count}</td>
<td data-label="${t.lastChange}">${container.lastChange ? html`<time datetime="${container.lastChange.toISOString()}">${
  describeAgo(container.lastChange, data.now, texts)}</time>` : '–'}</td></tr>`)}</tbody></table>
</section>
<section aria-labelledby="catalog"><h2 id="catalog">${t.catalog}</h2>
${data.products.length === 0 ? html`<p>${t.noProducts}</p>` : html`<table class="stack"><thead><tr><th scope="col">${t.product}</th>
<th scope="col">${t.price}</th><th scope="col">${t.stock}</th><th scope="col"><span class="visually-hidden">${t.save}</span></th></tr></thead>
<tbody>${data.products.map((product) => renderProductRow(texts, root, session, product))}</tbody></table>`}
</section>
<section aria-labelledby="harvests"><h2 id="harvests">${t.harvests}</h2>
${renderHarvestChart(texts, data.harvests)}
</section>`;
}

function renderProductRow(texts: Texts, root: string, session: MemberSession, product: Product): SafeHtml {
  const t = texts.home;
  const form = `save-${product.slug}`;
  const currency = product.price.currency.split('#').pop() ?? '';
  return html`<tr><th scope="row" data-label="${t.product}">${product.name}</th>
<td data-label="${t.price}"><label class="visually-hidden" for="${form}-price">${t.price} ${product.name} (${currency})</label>
<input type="number" id="${form}-price" name="price" form="${form}" min="0" step="0.01" required value="${product.price.value}"> ${currency}</td>
<td data-label="${t.stock}"><label class="visually-hidden" for="${form}-stock">${t.stock} ${product.name}</label>
<input type="number" id="${form}-stock" name="stock" form="${form}" min="0" step="1" placeholder="${t.unlimited}" value="${product.stock ?? ''}"></td>
<td><form id="${form}" method="post" action="${root}app/catalog/${encodeURIComponent(product.slug)}" class="inline">${csrfField(session)}
<button type="submit" class="secondary" aria-label="${t.save} ${product.name}">${t.save}</button></form></td></tr>`;
}

/** Kilograms of one harvest log (grams and tonnes converted; other units are not weights and are left out). */
function harvestKilograms(log: FarmLog): number {
  const factors: Record<string, number> = { Kilogram: 1, Gram: 0.001, Tonne: 1000 };
  return log.quantities.reduce((sum, quantity): number => sum + quantity.value * (factors[quantity.unit.split('#').pop() ?? ''] ?? 0), 0);
}

/** ISO 8601 week number of a date. */
export function isoWeek(date: Date): number {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const yearStart = new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  return Math.ceil(((day.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
}

/** The crop a harvest log is for: its name without "Harvest", else the planting it names. */
function cropOf(log: FarmLog): string {
  return log.name?.replace(/^harvest\s+/iu, '') ?? log.assets[0]?.split('/').pop() ?? '?';
}

const COLOURS = [ '#1d5e2d', '#8a5a00', '#1f4e8c', '#8a1c1c', '#5b3a8c', '#3d6b6b', '#6b4f1d', '#2d2d2d' ];

/** Weight per crop per week as an inline SVG line chart with a table behind it for screen readers. */
export function renderHarvestChart(texts: Texts, logs: FarmLog[]): SafeHtml {
  const t = texts.home;
  const harvests = logs.filter((log): boolean => log.type === 'harvest');
  if (harvests.length === 0) {
    return html`<p>${t.noHarvests}</p>`;
  }
  const byCrop = new Map<string, Map<number, number>>();
  for (const log of harvests) {
    const week = isoWeek(new Date(log.timestamp));
    const weeks = byCrop.get(cropOf(log)) ?? new Map<number, number>();
    weeks.set(week, (weeks.get(week) ?? 0) + harvestKilograms(log));
    byCrop.set(cropOf(log), weeks);
  }
  const weeks = [ ...new Set([ ...byCrop.values() ].flatMap((map): number[] => [ ...map.keys() ])) ].sort((a, b): number => a - b);
  const max = Math.max(1, ...[ ...byCrop.values() ].flatMap((map): number[] => [ ...map.values() ]));
  const [ width, height, left, bottom ] = [ 640, 260, 44, 28 ];
  const x = (week: number): number => left + (weeks.length === 1 ? 0 : (week - weeks[0]) / (weeks.at(-1)! - weeks[0]) * (width - left - 10));
  const y = (kg: number): number => height - bottom - kg / max * (height - bottom - 10);
  const crops = [ ...byCrop.keys() ].sort();
  return html`<figure>
<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title">
<title id="chart-title">${t.harvests}</title>
<line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#4f574e"/>
<line x1="${left}" y1="0" x2="${left}" y2="${height - bottom}" stroke="#4f574e"/>
<text x="4" y="14" font-size="12" fill="#1b1f1c">${Math.round(max)} kg</text>
${weeks.map((week) => html`<text x="${x(week)}" y="${height - 8}" font-size="11" text-anchor="middle" fill="#1b1f1c">${week}</text>`)}
${crops.map((crop, index) => html`<polyline fill="none" stroke-width="2.5" stroke="${COLOURS[index % COLOURS.length]}" points="${
  [ ...byCrop.get(crop)!.entries() ].sort(([ a ], [ b ]): number => a - b).map(([ week, kg ]): string => `${x(week).toFixed(1)},${y(kg).toFixed(1)}`).join(' ')}"/>`)}
</svg>
<figcaption><ul class="legend">${crops.map((crop, index) => html`<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${COLOURS[index % COLOURS.length]}"/></svg>${crop}</li>`)}</ul></figcaption>
</figure>
<details><summary>${t.harvests}: ${t.week}</summary>
<table><thead><tr><th scope="col">${t.week}</th>${crops.map((crop) => html`<th scope="col" class="num">${crop}</th>`)}</tr></thead>
<tbody>${weeks.map((week) => html`<tr><th scope="row">${week}</th>${crops.map((crop) => html`<td class="num">${
  (byCrop.get(crop)!.get(week) ?? 0).toFixed(1)}</td>`)}</tr>`)}</tbody></table></details>`;
}
