import Ajv2019 from 'ajv/dist/2019';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import assetLand from './schemata/asset--land.json';
import assetPlant from './schemata/asset--plant.json';
import logActivity from './schemata/log--activity.json';
import logHarvest from './schemata/log--harvest.json';
import logObservation from './schemata/log--observation.json';
import logSeeding from './schemata/log--seeding.json';
import quantityStandard from './schemata/quantity--standard.json';
import termPlantType from './schemata/taxonomy_term--plant_type.json';
import termSeason from './schemata/taxonomy_term--season.json';
import termUnit from './schemata/taxonomy_term--unit.json';

/**
 * farmOS's JSON Schemas of the bundles the bridge writes (as farmOS.js keeps them, from a farmOS server's
 * `/api/<entity>/<bundle>/resource/schema`; MIT, see `schemata/SOURCES.md`), compiled with ajv.
 */
const SCHEMATA: Readonly<Record<string, object>> = Object.freeze({
  'asset--land': assetLand,
  'asset--plant': assetPlant,
  'log--activity': logActivity,
  'log--harvest': logHarvest,
  'log--observation': logObservation,
  'log--seeding': logSeeding,
  'quantity--standard': quantityStandard,
  'taxonomy_term--plant_type': termPlantType,
  'taxonomy_term--season': termSeason,
  'taxonomy_term--unit': termUnit,
});

/** Fields a farmOS server computes or assigns: required in what it answers, never sent by a client. */
const SERVER_FIELDS = new Set([ 'geometry', 'drupal_internal__tid', 'drupal_internal__id' ]);

/** Every resource type the bridge has a schema for. */
export const FARMOS_TYPES: readonly string[] = Object.freeze(Object.keys(SCHEMATA));

/** One problem a schema found, with where: `/attributes/name must NOT have more than 255 characters`. */
export interface SchemaProblem {
  readonly pointer: string;
  readonly message: string;
}

let compiled: Map<string, { create: ValidateFunction; update: ValidateFunction }> | undefined;

/** A schema as a request body must meet it: `attributes` and `relationships` checked, server fields not required. */
function requestSchema(schema: Record<string, unknown>, creating: boolean): object {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  const properties = rest.properties as Record<string, Record<string, unknown>>;
  const attributes = properties.attributes;
  const required = ((attributes.required ?? []) as string[]).filter((field): boolean => !SERVER_FIELDS.has(field));
  return {
    ...rest,
    properties: {
      ...properties,
      // farmOS.js keeps the bundle name in `type`; the server's resource type is `entity--bundle`, checked by the caller.
      type: { type: 'string' },
      attributes: { ...attributes, required: creating ? required : [] },
    },
  };
}

function compiledSchemata(): Map<string, { create: ValidateFunction; update: ValidateFunction }> {
  if (!compiled) {
    // The schemata are draft 2019-09 hyper-schemas; their link keywords do not apply to validation.
    const ajv = new Ajv2019({ allErrors: true, strict: false, validateSchema: false });
    ajv.addFormat('uuid', /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/iu);
    ajv.addFormat('date-time', (text: string): boolean =>
      /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/iu.test(text) && !Number.isNaN(Date.parse(text)));
    compiled = new Map(Object.entries(SCHEMATA).map(([ type, schema ]): [string, { create: ValidateFunction; update: ValidateFunction }] =>
      [ type, { create: ajv.compile(requestSchema(schema as Record<string, unknown>, true)),
        update: ajv.compile(requestSchema(schema as Record<string, unknown>, false)) } ]));
  }
  return compiled;
}

/**
 * Checks a resource object as a request body would carry it (`POST` when `creating`, else `PATCH`) against farmOS's
 * schema for its type. Returns the problems, none if it is valid; throws for a type without a schema.
 */
export function checkResource(resource: { type?: unknown; attributes?: unknown; relationships?: unknown }, creating: boolean): SchemaProblem[] {
  const schemata = compiledSchemata().get(String(resource.type));
  if (!schemata) {
    throw new Error(`farmOS has no resource type ${String(resource.type)} the bridge knows`);
  }
  const flat = { ...resource, relationships: flattenRelationships(resource.relationships) };
  const validate = creating ? schemata.create : schemata.update;
  return validate(flat) ? [] : (validate.errors ?? []).map(problemOf);
}

/** farmOS.js's schemata describe relationships by their `data` (a list or one identifier), as the server's do inside `data`. */
function flattenRelationships(relationships: unknown): unknown {
  if (relationships === undefined || relationships === null || typeof relationships !== 'object') {
    return relationships;
  }
  // A to-one relationship emptied (`data: null`) has nothing left to check.
  return Object.fromEntries(Object.entries(relationships as Record<string, unknown>)
    .map(([ name, value ]): [string, unknown] =>
      [ name, value !== null && typeof value === 'object' && 'data' in value ? (value as { data: unknown }).data : value ])
    .filter(([ , value ]): boolean => value !== null));
}

function problemOf(error: ErrorObject): SchemaProblem {
  const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})` :
    error.keyword === 'required' ? ` (${String((error.params as { missingProperty: string }).missingProperty)})` : '';
  return { pointer: error.instancePath || '/', message: `${error.message ?? error.keyword}${extra}` };
}
