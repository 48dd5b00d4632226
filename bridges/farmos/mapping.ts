import { slugOf } from '../../shapes/access/podIo';
import { landAssetToQuads, plantAssetToQuads, quadsToLandAsset, quadsToPlantAsset } from '../../shapes/access/landRdf';
import { logToQuads, quadsToLog } from '../../shapes/access/logRdf';
import { ResourceGraph } from '../../shapes/access/rdf';
import type { FarmLog, LandAsset, LandType, LogQuantity, LogType, Measure, PlantAsset } from '../../shapes/access/types';
import { DFC_PT } from '../../shapes/namespaces';
import type { PodItem } from '../runtime/TargetAdapter';
import { FarmosMappingError } from './FarmosMappingError';
import type { JsonApiDocument, Resource, ResourceIdentifier } from './jsonApi';
import { identifiersOf } from './jsonApi';
import { dfcUnitOf, farmosUnitName } from './units';
import { uuidFromName } from './uuid';

/**
 * The pure mapping between the pod's `land/` and `logs/` resources and farmOS 3.x JSON:API resources:
 * land assets ↔ `asset--land`, plantings ↔ `asset--plant` (with `taxonomy_term--plant_type` and `--season`), logs ↔
 * `log--seeding|harvest|activity|observation` with their `quantity--standard` (and `taxonomy_term--unit`).
 *
 * Ids are chosen here, so that sending twice makes one record: a pod resource's farmOS UUID is name-based on its path in
 * the pod (`land/north-field`), a term's on its vocabulary and name, a quantity's on its log and position. Records that
 * came from farmOS live in the pod as `<container>/farmos-<uuid>`, so their path gives their UUID back. Each record the
 * bridge writes carries its pod path in farmOS's `data` field (`fmp:land/north-field`), so references to it from farmOS
 * find the pod resource again.
 */

/** The log bundles the bridge syncs (the pod's log types). */
export const LOG_TYPES: readonly LogType[] = Object.freeze([ 'seeding', 'harvest', 'activity', 'observation' ]);
/** The resource types the bridge reads from farmOS and keeps in the pod. */
export const SYNCED_TYPES: readonly string[] = Object.freeze([ 'asset--land', 'asset--plant', ...LOG_TYPES.map((type): string => `log--${type}`) ]);

const LAND_TYPES: readonly LandType[] = [ 'property', 'field', 'bed', 'paddock', 'landmark', 'other' ];
const MEASURES: readonly Measure[] = [ 'count', 'length', 'weight', 'area', 'volume', 'time', 'temperature', 'value', 'rate', 'ratio' ];
/** farmOS keeps lot numbers on these log bundles only. */
const LOT_NUMBER_LOGS: readonly LogType[] = [ 'harvest', 'seeding' ];
const DATA_PREFIX = 'fmp:';
const POD_PATH = /^(land|logs)\/[\w.~-]+$/u;
const FROM_FARMOS = /^farmos-([\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12})$/u;

/** What one pod resource becomes in farmOS: the terms and quantities it refers to (made first), then the record. */
export interface FarmosPayload {
  /** Taxonomy terms, with the ids the bridge would give them; an existing term of the same name is used instead. */
  readonly terms: readonly Resource[];
  /** Quantities, created or updated before the log that refers to them. */
  readonly quantities: readonly Resource[];
  readonly record: Resource;
}

/** The path of a pod resource (or a node in it) relative to the pod: `https://…/alice/land/beds#it` → `land/beds`. */
export function podPathOf(iri: string, pod: string, where = ''): string {
  const path = iri.split('#')[0];
  if (!path.startsWith(pod) || !POD_PATH.test(path.slice(pod.length))) {
    throw new FarmosMappingError(where, `${iri} is not a land asset, planting or log of this pod`);
  }
  return path.slice(pod.length);
}

/** The farmOS UUID of a pod resource, by its path: the one it came with from farmOS, else a name-based one. */
export function farmosIdOfPath(path: string): string {
  return FROM_FARMOS.exec(slugOf(path))?.[1] ?? uuidFromName(`pod:${path}`);
}

/** The id the bridge gives a taxonomy term it makes (names compared without case or surrounding spaces). */
export function termId(vocabulary: string, name: string): string {
  return uuidFromName(`term:${vocabulary}:${termKey(name)}`);
}

/** How term names are compared: `Cherry Tomato`, `cherry-tomato` and `cherry tomato` are one term. */
export function termKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/gu, ' ');
}

/** A timestamp as both sides write it: ISO 8601 in UTC, without milliseconds when there are none. */
export function normalTimestamp(value: string, where = 'timestamp'): string {
  const time = /^\d+$/u.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(time)) {
    throw new FarmosMappingError(where, `"${value}" is not a date and time`);
  }
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

/** A decimal as farmOS's fraction field takes it: `12.5` → `{ numerator: 125, denominator: 10 }`. */
export function fractionOf(value: number, where = 'value'): { numerator: number; denominator: number } {
  const text = String(value);
  if (!Number.isFinite(value) || /e/iu.test(text)) {
    throw new FarmosMappingError(where, `${text} cannot be written as a fraction of whole numbers`);
  }
  const [ whole, decimals = '' ] = text.replace('-', '').split('.');
  const numerator = Number(`${whole}${decimals}`) * (value < 0 ? -1 : 1);
  if (!Number.isSafeInteger(numerator)) {
    throw new FarmosMappingError(where, `${text} has too many digits for farmOS`);
  }
  return { numerator, denominator: 10 ** decimals.length };
}

/** A farmOS fraction value (`{decimal}` or `{numerator, denominator}`) as a number. */
export function numberOfFraction(value: unknown, where = 'value'): number {
  const { decimal, numerator, denominator } = (value ?? {}) as { decimal?: unknown; numerator?: unknown; denominator?: unknown };
  const result = decimal !== undefined && decimal !== null ? Number(decimal) :
    Number(numerator) / Number(denominator ?? 1);
  if (!Number.isFinite(result)) {
    throw new FarmosMappingError(where, `${JSON.stringify(value)} is not a quantity value`);
  }
  return result;
}

/** A plant type IRI's farmOS term name: `dfc-pt:cherry-tomato` → `cherry tomato`. */
export function plantTypeName(iri: string): string {
  const local = decodeURIComponent(iri.slice(Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1));
  if (local === '') {
    throw new FarmosMappingError('plantType', `${iri} names no plant type`);
  }
  return local.replace(/[-_]+/gu, ' ');
}

/** A farmOS plant type term's name as a DFC product type IRI: `Cherry Tomato` → `dfc-pt:cherry-tomato`. */
export function plantTypeIri(name: string): string {
  return DFC_PT(encodeURIComponent(termKey(name).replace(/ /gu, '-')));
}

function term(vocabulary: string, name: string): Resource {
  return { type: `taxonomy_term--${vocabulary}`, id: termId(vocabulary, name), attributes: { name: name.trim() }};
}

function identifier(resource: Resource): ResourceIdentifier {
  return { type: resource.type, id: resource.id };
}

function notes(text: string | undefined): Record<string, unknown> {
  return text === undefined ? {} : { notes: { value: text, format: 'default' }};
}

/**
 * What a pod resource of `land/` or `logs/` becomes in farmOS; `undefined` if it holds nothing the bridge syncs.
 *
 * @param item - The pod resource.
 * @param pod - The pod's root URL, which relative paths (and so ids) are taken from.
 * @throws {@link FarmosMappingError} when it refers to something outside the pod or has what farmOS cannot keep.
 */
export function podToFarmos(item: PodItem, pod: string): FarmosPayload | undefined {
  const path = podPathOf(item.url, pod);
  const graph = new ResourceGraph(item.quads);
  const slug = slugOf(item.url);
  if (path.startsWith('land/')) {
    const land = quadsToLandAsset(slug, graph);
    if (land) {
      return landToFarmos(land, path, pod);
    }
    const plant = quadsToPlantAsset(slug, graph);
    return plant && plantToFarmos(plant, path);
  }
  const log = quadsToLog(slug, graph);
  return log && logToFarmos(log, path, pod);
}

/** A land asset as an `asset--land` (fixed, a location, active). */
export function landToFarmos(land: LandAsset, path: string, pod: string): FarmosPayload {
  const parent = land.containedIn === undefined ? [] :
    [{ type: 'asset--land', id: farmosIdOfPath(podPathOf(land.containedIn, pod, 'containedIn')) }];
  return { terms: [], quantities: [], record: {
    type: 'asset--land',
    id: farmosIdOfPath(path),
    attributes: {
      name: land.name,
      status: 'active',
      land_type: land.landType,
      is_location: true,
      is_fixed: true,
      data: `${DATA_PREFIX}${path}`,
      ...land.wkt === undefined ? {} : { intrinsic_geometry: { value: land.wkt }},
      ...notes(land.description),
    },
    relationships: { parent: { data: parent }},
  }};
}

/** A planting as an `asset--plant` with its plant type and season terms. Where it grows is farmOS's movement logs' business. */
export function plantToFarmos(plant: PlantAsset, path: string): FarmosPayload {
  const plantType = term('plant_type', plantTypeName(plant.plantType));
  const seasons = plant.season.trim() === '' ? [] : [ term('season', plant.season) ];
  return { terms: [ plantType, ...seasons ], quantities: [], record: {
    type: 'asset--plant',
    id: farmosIdOfPath(path),
    attributes: { name: plant.name, status: 'active', data: `${DATA_PREFIX}${path}` },
    relationships: {
      plant_type: { data: [ identifier(plantType) ]},
      season: { data: seasons.map(identifier) },
    },
  }};
}

/** A log as a `log--<type>`, with its quantities as `quantity--standard` and their units. */
export function logToFarmos(log: FarmLog, path: string, pod: string): FarmosPayload {
  const id = farmosIdOfPath(path);
  if (log.lotNumber !== undefined && !LOT_NUMBER_LOGS.includes(log.type)) {
    throw new FarmosMappingError('lotNumber', `farmOS keeps lot numbers on harvest and seeding logs only, not on ${log.type} logs`);
  }
  const units = new Map<string, Resource>();
  const quantities = log.quantities.map((quantity, index): Resource => {
    const unit = term('unit', farmosUnitName(quantity.unit));
    units.set(unit.id, unit);
    return {
      type: 'quantity--standard',
      id: uuidFromName(`quantity:${id}:${index}`),
      attributes: { measure: quantity.measure, value: fractionOf(quantity.value, `quantities[${index}].value`) },
      relationships: { units: { data: identifier(unit) }},
    };
  });
  // The pod does not say which kind of asset a log is about: seedings and harvests are of plantings, others of land.
  // The client checks each against farmOS before sending.
  const assetType = log.type === 'seeding' || log.type === 'harvest' ? 'asset--plant' : 'asset--land';
  return { terms: [ ...units.values() ], quantities, record: {
    type: `log--${log.type}`,
    id,
    attributes: {
      ...log.name === undefined ? {} : { name: log.name },
      timestamp: normalTimestamp(log.timestamp),
      status: log.status,
      data: `${DATA_PREFIX}${path}`,
      ...log.lotNumber === undefined ? {} : { lot_number: log.lotNumber },
      ...notes(log.notes),
    },
    relationships: {
      asset: { data: log.assets.map((asset, index): ResourceIdentifier =>
        ({ type: assetType, id: farmosIdOfPath(podPathOf(asset, pod, `assets[${index}]`)) })) },
      location: { data: log.location === undefined ? [] :
        [{ type: 'asset--land', id: farmosIdOfPath(podPathOf(log.location, pod, 'location')) }] },
      quantity: { data: quantities.map(identifier) },
    },
  }};
}

/** The payload as one JSON:API document: the record as `data`, what it refers to as `included`. */
export function payloadDocument(payload: FarmosPayload): JsonApiDocument {
  return { data: payload.record, included: [ ...payload.terms, ...payload.quantities ]};
}

/** A farmOS record with the resources it refers to, as `GET …?include=` answers. */
export interface FarmosRecord {
  readonly data: Resource;
  readonly included: readonly Resource[];
}

/** The records of a JSON:API document (one or a collection) that the bridge syncs, each with the document's `included`. */
export function recordsOf(document: JsonApiDocument): FarmosRecord[] {
  const data = document.data;
  const resources = data === null ? [] : Array.isArray(data) ? data as Resource[] : [ data as Resource ];
  return resources.filter((resource): boolean => SYNCED_TYPES.includes(resource.type))
    .map((resource): FarmosRecord => ({ data: resource, included: document.included ?? [] }));
}

/** The pod path a farmOS record keeps in its `data` field, if it is one. */
function keptPath(resource: Resource | undefined): string | undefined {
  const data = resource?.attributes?.data;
  return typeof data === 'string' && data.startsWith(DATA_PREFIX) && POD_PATH.test(data.slice(DATA_PREFIX.length)) ?
    data.slice(DATA_PREFIX.length) :
    undefined;
}

/** The pod path of a farmOS record: the one it keeps, else `land/farmos-<uuid>` or `logs/farmos-<uuid>`. */
export function podPathOfRecord(resource: Pick<Resource, 'type' | 'id'> & { attributes?: Resource['attributes'] }): string {
  return keptPath(resource as Resource) ?? `${resource.type.startsWith('log--') ? 'logs' : 'land'}/farmos-${resource.id}`;
}

/**
 * What a farmOS record becomes in the pod.
 *
 * @param record - The record and the resources it refers to (`include`d).
 * @param current - The pod resource as it is now, if linked: what farmOS does not hold (a planting's variety and
 *   location) is kept from it, and its URL stays.
 * @param pod - The pod's root URL.
 * @throws {@link FarmosMappingError} when the record cannot be a pod resource (a unit the DFC does not know, …).
 */
export function farmosToPod(record: FarmosRecord, current: PodItem | undefined, pod: string): PodItem {
  const { data } = record;
  const url = current?.url ?? `${pod}${podPathOfRecord(data)}`;
  const slug = slugOf(url);
  const included = new Map(record.included.map((resource): [string, Resource] => [ `${resource.type}/${resource.id}`, resource ]));
  const find = (ref: ResourceIdentifier): Resource | undefined => included.get(`${ref.type}/${ref.id}`);
  const iriOf = (ref: ResourceIdentifier): string => `${pod}${podPathOfRecord(find(ref) ?? ref)}#it`;
  const attributes = data.attributes ?? {};
  const name = typeof attributes.name === 'string' ? attributes.name : '';
  const notesText = (attributes.notes as { value?: unknown } | null | undefined)?.value;
  const description = typeof notesText === 'string' && notesText !== '' ? notesText : undefined;
  if (data.type === 'asset--land') {
    const landType = LAND_TYPES.includes(attributes.land_type as LandType) ? attributes.land_type as LandType : 'other';
    const wkt = (attributes.intrinsic_geometry as { value?: unknown } | null | undefined)?.value;
    const [ parent ] = identifiersOf(data, 'parent');
    const land: LandAsset = { slug, name, landType,
      ...description === undefined ? {} : { description },
      ...typeof wkt === 'string' && wkt !== '' ? { wkt } : {},
      ...parent ? { containedIn: iriOf(parent) } : {} };
    return { url, quads: landAssetToQuads(url, land) };
  }
  if (data.type === 'asset--plant') {
    const base = current ? quadsToPlantAsset(slug, new ResourceGraph(current.quads)) : undefined;
    const [ plantTypeRef ] = identifiersOf(data, 'plant_type');
    const plantTypeTerm = plantTypeRef && find(plantTypeRef);
    if (typeof plantTypeTerm?.attributes?.name !== 'string') {
      throw new FarmosMappingError('relationships.plant_type', 'a plant needs a plant type (included with its name)');
    }
    const season = identifiersOf(data, 'season').map(find).find((resource): boolean => typeof resource?.attributes?.name === 'string');
    const [ location ] = identifiersOf(data, 'location');
    const plant: PlantAsset = { slug, name, plantType: plantTypeIri(plantTypeTerm.attributes.name),
      season: (season?.attributes?.name as string | undefined) ?? base?.season ?? '',
      ...base?.variety === undefined ? {} : { variety: base.variety },
      ...location ? { location: iriOf(location) } : base?.location === undefined ? {} : { location: base.location } };
    return { url, quads: plantAssetToQuads(url, plant) };
  }
  const type = data.type.slice('log--'.length) as LogType;
  if (!data.type.startsWith('log--') || !LOG_TYPES.includes(type)) {
    throw new FarmosMappingError('type', `the bridge does not keep ${data.type} records in the pod`);
  }
  const quantities = identifiersOf(data, 'quantity').map((ref, index): LogQuantity => {
    const where = `relationships.quantity[${index}]`;
    const quantity = find(ref);
    if (!quantity) {
      throw new FarmosMappingError(where, `quantity ${ref.id} was not included`);
    }
    const [ unitRef ] = identifiersOf(quantity, 'units');
    const unitName = unitRef && find(unitRef)?.attributes?.name;
    const measure = MEASURES.includes(quantity.attributes?.measure as Measure) ? quantity.attributes!.measure as Measure : 'value';
    if (typeof unitName !== 'string') {
      throw new FarmosMappingError(`${where}.units`, 'a quantity needs a unit (included with its name) to be kept in the pod');
    }
    return { measure, value: numberOfFraction(quantity.attributes?.value, `${where}.value`), unit: dfcUnitOf(unitName, `${where}.units`) };
  });
  const [ location ] = identifiersOf(data, 'location');
  const lotNumber = typeof attributes.lot_number === 'string' && attributes.lot_number !== '' ? attributes.lot_number : undefined;
  const log: FarmLog = {
    slug,
    type,
    timestamp: normalTimestamp(String(attributes.timestamp ?? ''), 'attributes.timestamp'),
    status: attributes.status === 'done' ? 'done' : 'pending',
    assets: identifiersOf(data, 'asset').map(iriOf),
    quantities,
    ...name === '' ? {} : { name },
    ...location ? { location: iriOf(location) } : {},
    ...lotNumber === undefined ? {} : { lotNumber },
    ...description === undefined ? {} : { notes: description },
  };
  return { url, quads: logToQuads(url, log) };
}
