import type { Quad } from '@rdfjs/types';
import type { ContainerKind } from '../ContainerKind';
import { enterpriseToQuads } from '../access/enterpriseRdf';
import { landAssetToQuads, plantAssetToQuads } from '../access/landRdf';
import { logToQuads } from '../access/logRdf';
import { orderToQuads } from '../access/orderRdf';
import { containerUrl, quadsToTurtle } from '../access/podIo';
import { productToQuads } from '../access/productRdf';
import type { Enterprise, FarmLog, LandAsset, Order, PlantAsset, Product } from '../access/types';
import { DFC_M, DFC_PT } from '../namespaces';
import { generateProducts } from './catalogData';
import type { DemoResource } from './DemoResource';

/** The farm the demo pod describes. */
export const DEMO_ENTERPRISE: Enterprise = Object.freeze({
  name: 'Ferme du Vallon',
  description: 'Mixed vegetable farm, 4 ha, selling through the regional food platform.',
  vatNumber: 'FR12345678901',
  email: 'contact@ferme-du-vallon.example',
  address: {
    street: '12 chemin du Vallon',
    postalCode: '26400',
    city: 'Crest',
    country: 'http://publications.europa.eu/resource/authority/country/FRA',
  },
  mainContact: { firstName: 'Camille', familyName: 'Martin' },
});

const SEASON = '2025';

/** A small rectangle around a point, as WKT (lon/lat), so each field and bed gets a distinct shape. */
function rectangle(lon: number, lat: number, width: number, height: number): string {
  const corners = [ [ lon, lat ], [ lon + width, lat ], [ lon + width, lat + height ], [ lon, lat + height ], [ lon, lat ] ];
  return `POLYGON((${corners.map(([ x, y ]): string => `${x.toFixed(5)} ${y.toFixed(5)}`).join(', ')}))`;
}

/** The property, three fields and six beds. */
function demoLand(landUrl: string): LandAsset[] {
  const fields: LandAsset[] = [ 'North field', 'River field', 'Orchard field' ].map((name, index): LandAsset => ({
    slug: `field-${index + 1}`,
    name,
    landType: 'field',
    wkt: rectangle(5.02 + index * 0.003, 44.72, 0.0025, 0.0015),
    containedIn: `${landUrl}property#it`,
  }));
  const beds: LandAsset[] = Array.from({ length: 6 }, (_, index): LandAsset => ({
    slug: `bed-${index + 1}`,
    name: `Greenhouse bed ${index + 1}`,
    landType: 'bed',
    wkt: rectangle(5.0205 + index * 0.0002, 44.7205, 0.00015, 0.0008),
    containedIn: `${landUrl}field-1#it`,
  }));
  return [
    { slug: 'property', name: 'Ferme du Vallon', landType: 'property', wkt: rectangle(5.019, 44.719, 0.012, 0.004) },
    ...fields,
    ...beds,
    { slug: 'well', name: 'Well', landType: 'landmark', wkt: 'POINT(5.0215 44.7212)' },
  ];
}

/** Crop, product type, where it grows, and harvest weeks (ISO week numbers) with kg per harvest. */
const PLANTINGS: readonly [string, string, string, number, number, number][] = [
  [ 'Tomatoes', 'round-tomato', 'bed-1', 28, 40, 18 ],
  [ 'Cherry tomatoes', 'cherry-tomato', 'bed-2', 27, 40, 6 ],
  [ 'Cucumbers', 'cucumber', 'bed-3', 26, 36, 12 ],
  [ 'Aubergines', 'eggplant', 'bed-4', 30, 39, 8 ],
  [ 'Sweet peppers', 'pepper', 'bed-5', 31, 41, 7 ],
  [ 'Lettuce', 'lettuce', 'bed-6', 22, 30, 10 ],
  [ 'Carrots', 'carrot', 'field-1', 27, 44, 30 ],
  [ 'Potatoes', 'potato', 'field-2', 28, 38, 120 ],
  [ 'Courgettes', 'courgette', 'field-2', 25, 38, 25 ],
  [ 'Leeks', 'leek', 'field-3', 38, 48, 20 ],
  [ 'Squash', 'uchiki-kuri-squash', 'field-3', 37, 41, 60 ],
  [ 'Green beans', 'beans', 'field-3', 27, 35, 9 ],
];

function demoPlantings(landUrl: string): PlantAsset[] {
  return PLANTINGS.map(([ name, type, place ], index): PlantAsset => ({
    slug: `planting-${index + 1}`,
    name: `${SEASON} ${name}`,
    plantType: DFC_PT(type),
    season: SEASON,
    location: `${landUrl}${place}#it`,
  }));
}

/** The Monday of an ISO week of the season, at 08:00 UTC. */
function weekDate(week: number, day = 0): string {
  const jan4 = Date.UTC(Number(SEASON), 0, 4);
  const mondayOfWeek1 = jan4 - (((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000);
  return new Date(mondayOfWeek1 + ((week - 1) * 7 + day) * 86_400_000 + 8 * 3_600_000).toISOString();
}

/** One seeding log per planting and a harvest log per planting per week of its harvest window. */
function demoLogs(landUrl: string): FarmLog[] {
  return PLANTINGS.flatMap(([ name, , place, first, last, kilograms ], index): FarmLog[] => {
    const plant = `${landUrl}planting-${index + 1}#it`;
    const location = `${landUrl}${place}#it`;
    const seeding: FarmLog = {
      slug: `seeding-${index + 1}`, type: 'seeding', name: `Seed ${name.toLowerCase()}`,
      timestamp: weekDate(Math.max(first - 12, 6)), status: 'done', assets: [ plant ], location, quantities: [],
      lotNumber: `SEED-${SEASON}-${index + 1}`,
    };
    // Every second week keeps the season's log count realistic (about 60 harvests).
    const weeks = Array.from({ length: Math.floor((last - first) / 2) + 1 }, (_, step): number => first + step * 2);
    const harvests = weeks.map((week): FarmLog => ({
      slug: `harvest-${index + 1}-w${week}`, type: 'harvest', name: `Harvest ${name.toLowerCase()}`,
      timestamp: weekDate(week, 1), status: week > 40 ? 'pending' : 'done', assets: [ plant ], location,
      quantities: [ { measure: 'weight', value: kilograms + ((week * 3) % 7), unit: DFC_M('Kilogram') } ],
      lotNumber: `H${SEASON}-${index + 1}-${week}`,
    }));
    return [ seeding, ...harvests ];
  });
}

/** A handful of orders for catalog products, referencing their offers. */
function demoOrders(catalogUrl: string, products: Product[]): Order[] {
  return Array.from({ length: 6 }, (_, index): Order => ({
    slug: `order-${index + 1}`,
    orderNumber: `2025-${String(index + 101)}`,
    date: weekDate(30 + index, 3),
    customer: `https://vault.example/customer-${(index % 3) + 1}/profile/card#me`,
    lines: [ 0, 1, 2 ].map((offset): Order['lines'][number] => {
      const product = products[(index * 5 + offset * 7) % products.length];
      return { offer: `${catalogUrl}${product.slug}#offer`, quantity: offset + 1, price: product.price };
    }),
  }));
}

function toResource(podUrl: string, kind: ContainerKind, slug: string, build: (url: string) => Quad[]): DemoResource {
  const url = `${containerUrl(podUrl, kind)}${slug}`;
  const quads = build(url);
  return { path: `${kind}/${slug}`, kind, quads, turtle: quadsToTurtle(quads) };
}

/**
 * Generates the demo farm for a pod: the farm profile, ten land assets, twelve plantings, a season
 * of seeding and harvest logs, a 30-product catalog with offers and stock, and six orders.
 * Pure: returns resources to write and touches no network. Every resource conforms to its shapes.
 *
 * @param podUrl - The pod root the IRIs are built under, e.g. `https://vault.example/alice/`.
 */
export function generateDemoFarm(podUrl: string): DemoResource[] {
  const landUrl = containerUrl(podUrl, 'land');
  const products = generateProducts(30);
  return [
    toResource(podUrl, 'profile', 'enterprise', (url): Quad[] => enterpriseToQuads(url, DEMO_ENTERPRISE)),
    ...demoLand(landUrl).map((asset): DemoResource =>
      toResource(podUrl, 'land', asset.slug, (url): Quad[] => landAssetToQuads(url, asset))),
    ...demoPlantings(landUrl).map((plant): DemoResource =>
      toResource(podUrl, 'land', plant.slug, (url): Quad[] => plantAssetToQuads(url, plant))),
    ...demoLogs(landUrl).map((log): DemoResource =>
      toResource(podUrl, 'logs', log.slug, (url): Quad[] => logToQuads(url, log))),
    ...products.map((product): DemoResource =>
      toResource(podUrl, 'catalog', product.slug, (url): Quad[] => productToQuads(url, product))),
    ...demoOrders(containerUrl(podUrl, 'catalog'), products).map((order): DemoResource =>
      toResource(podUrl, 'orders', order.slug, (url): Quad[] => orderToQuads(url, order))),
  ];
}

/**
 * Generates `n` product resources (`catalog/...`) for benchmarks; see {@link generateProducts}.
 * Pure.
 */
export function generateProductResources(podUrl: string, n: number): DemoResource[] {
  return generateProducts(n).map((product): DemoResource =>
    toResource(podUrl, 'catalog', product.slug, (url): Quad[] => productToQuads(url, product)));
}
