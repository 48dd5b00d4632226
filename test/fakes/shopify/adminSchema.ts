import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DocumentNode, GraphQLError, GraphQLSchema, IntrospectionQuery, ValidationRule } from 'graphql';
import { buildClientSchema, GraphQLScalarType, parse, specifiedRules, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { PROJECT_ROOT } from '../../../src/server/FmpServer';

/**
 * Shopify's real Admin GraphQL schema, from the introspection files `@shopify/dev-mcp` ships
 * (`dist/data/admin_<version>.json.gz`). Read once per version per process: unzipping and building takes about a second.
 */
const schemas = new Map<string, GraphQLSchema>();

/** The Admin API schema of a version (`2025-10`, `2026-01`, …), cached for the test run. */
export function loadAdminSchema(version = '2025-10'): GraphQLSchema {
  let schema = schemas.get(version);
  if (!schema) {
    const file = join(PROJECT_ROOT, 'node_modules', '@shopify', 'dev-mcp', 'dist', 'data', `admin_${version}.json.gz`);
    const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString()) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);
    tightenScalars(schema);
    schemas.set(version, schema);
  }
  return schema;
}

/**
 * A schema built from introspection accepts any value for custom scalars. Shopify does not: `Money` and `Decimal` must
 * be decimals, `UnsignedInt64` a whole number. Give them the checks Shopify applies, so the fake refuses what it would.
 */
function tightenScalars(schema: GraphQLSchema): void {
  const decimal = (name: string) => (value: unknown): unknown => {
    if ((typeof value === 'string' && /^-?\d+(\.\d+)?$/u.test(value.trim())) || (typeof value === 'number' && Number.isFinite(value))) {
      return value;
    }
    throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to ${name}`);
  };
  for (const [ name, check ] of Object.entries({
    Money: decimal('Money'),
    Decimal: decimal('Decimal'),
    UnsignedInt64: (value: unknown): unknown => {
      if ((typeof value === 'string' && /^\d+$/u.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
        return value;
      }
      throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to UnsignedInt64`);
    },
  })) {
    const type = schema.getType(name);
    if (type instanceof GraphQLScalarType) {
      (type as { parseValue: (value: unknown) => unknown }).parseValue = check;
    }
  }
}

/** A GraphQL error as Shopify answers it: message, locations, `extensions.code`. */
export interface ShopifyGraphQlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: { code: string; [key: string]: unknown };
}

/** What {@link checkOperation} found: a checked document and coerced variables, or Shopify-style errors. */
export type CheckedOperation =
  | { ok: true; document: DocumentNode; operationName?: string; variables: Record<string, unknown> }
  | { ok: false; errors: ShopifyGraphQlError[] };

/**
 * Codes Shopify (graphql-ruby) gives the checks that graphql-js's rules make; other rules answer with their own name.
 */
const RULE_CODES: Readonly<Record<string, string>> = Object.freeze({
  FieldsOnCorrectTypeRule: 'undefinedField',
  KnownArgumentNamesRule: 'argumentNotAccepted',
  ProvidedRequiredArgumentsRule: 'missingRequiredArguments',
  KnownTypeNamesRule: 'undefinedType',
  NoUndefinedVariablesRule: 'variableNotDefined',
  NoUnusedVariablesRule: 'variableNotUsed',
  VariablesInAllowedPositionRule: 'variableMismatch',
  ScalarLeafsRule: 'selectionMismatch',
  ValuesOfCorrectTypeRule: 'argumentLiteralsIncompatible',
  KnownFragmentNamesRule: 'undefinedFragment',
  NoUnusedFragmentsRule: 'useAndDefineFragment',
  UniqueOperationNamesRule: 'duplicateOperationName',
});

/**
 * Checks a request's document and variables against the schema, as Shopify does before running anything: the document
 * must parse and pass every validation rule, and the variables must coerce to their declared types.
 */
export function checkOperation(schema: GraphQLSchema, query: unknown, variables: unknown, operationName?: string): CheckedOperation {
  if (typeof query !== 'string' || query.trim() === '') {
    return { ok: false, errors: [{ message: 'No query string was present', extensions: { code: 'missingQuery' }}]};
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error: unknown) {
    return { ok: false, errors: [ toShopifyError(error as GraphQLError, 'parseError') ]};
  }
  const errors = specifiedRules.flatMap((rule: ValidationRule): ShopifyGraphQlError[] =>
    validate(schema, document, [ rule ]).map((error): ShopifyGraphQlError =>
      toShopifyError(error, RULE_CODES[rule.name] ?? rule.name.replace(/Rule$/u, ''))));
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  const operations = document.definitions.filter((definition): boolean => definition.kind === 'OperationDefinition');
  const operation = operations.find((definition): boolean =>
    operationName === undefined || (definition as { name?: { value: string } }).name?.value === operationName);
  if (!operation || (operationName === undefined && operations.length > 1)) {
    return { ok: false, errors: [{ message: 'An operation name is required', extensions: { code: 'operationNotFound' }}]};
  }
  const coerced = getVariableValues(schema, (operation as { variableDefinitions?: [] }).variableDefinitions ?? [],
    (variables ?? {}) as Record<string, unknown>);
  if (coerced.errors) {
    return { ok: false, errors: coerced.errors.map((error): ShopifyGraphQlError => toShopifyError(error, 'INVALID_VARIABLE')) };
  }
  return { ok: true, document, operationName, variables: coerced.coerced };
}

function toShopifyError(error: GraphQLError, code: string): ShopifyGraphQlError {
  return {
    message: error.message,
    ...error.locations ? { locations: error.locations.map(({ line, column }): { line: number; column: number } => ({ line, column })) } : {},
    extensions: { code },
  };
}

/** A `productSet` document whose `$input` is the variable to coerce: what {@link coerceProductSetInput} checks with. */
const PRODUCT_SET_CHECK = 'mutation Check($input: ProductSetInput!) { productSet(input: $input) { userErrors { message } } }';

/**
 * Coerces a value as the `ProductSetInput!` variable of a `productSet` mutation against the real schema; returns the
 * error messages (none when Shopify would accept it as input).
 */
export function coerceProductSetInput(input: unknown, version = '2025-10'): string[] {
  const checked = checkOperation(loadAdminSchema(version), PRODUCT_SET_CHECK, { input });
  return checked.ok ? [] : checked.errors.map((error): string => error.message);
}
