import type { Quad } from '@rdfjs/types';
import { DCTERMS, DFC_B, FMP, SCHEMA, XSD } from '../namespaces';
import { withOptional } from './productRdf';
import { decimalQuads, iriQuads, type ResourceGraph, stringQuads, typedQuads, typeQuad } from './rdf';
import type { FarmLog, LogQuantity, LogStatus, LogType, Measure } from './types';

const LOG_CLASSES: Readonly<Record<LogType, string>> = Object.freeze({
  seeding: FMP('SeedingLog'),
  harvest: FMP('HarvestLog'),
  activity: FMP('ActivityLog'),
  observation: FMP('ObservationLog'),
});

/** Turns a log into the quads of `logs/<slug>`; the log is `#it`, its quantities `#quantity-1`, … */
export function logToQuads(resourceUrl: string, log: FarmLog): Quad[] {
  const it = `${resourceUrl}#it`;
  return [
    typeQuad(it, LOG_CLASSES[log.type]),
    ...stringQuads(it, SCHEMA('name'), log.name),
    ...typedQuads(it, DCTERMS('date'), XSD('dateTime'), log.timestamp),
    ...iriQuads(it, FMP('status'), FMP(`status-${log.status}`)),
    ...log.assets.flatMap((asset): Quad[] => iriQuads(it, FMP('asset'), asset)),
    ...iriQuads(it, SCHEMA('location'), log.location),
    ...stringQuads(it, FMP('lotNumber'), log.lotNumber),
    ...stringQuads(it, SCHEMA('description'), log.notes),
    ...log.quantities.flatMap((quantity, index): Quad[] =>
      logQuantityToQuads(it, `${resourceUrl}#quantity-${index + 1}`, quantity)),
  ];
}

function logQuantityToQuads(log: string, node: string, quantity: LogQuantity): Quad[] {
  return [
    ...iriQuads(log, FMP('quantity'), node),
    typeQuad(node, FMP('Quantity')),
    ...iriQuads(node, FMP('measure'), FMP(`measure-${quantity.measure}`)),
    ...decimalQuads(node, DFC_B('value'), quantity.value),
    ...iriQuads(node, DFC_B('hasUnit'), quantity.unit),
  ];
}

/** Reads the log of a resource, or `undefined` if it holds none. */
export function quadsToLog(slug: string, graph: ResourceGraph): FarmLog | undefined {
  const found = (Object.entries(LOG_CLASSES) as [LogType, string][])
    .map(([ type, cls ]): [LogType, string | undefined] => [ type, graph.getSubjectsOfType(cls)[0] ])
    .find(([ , subject ]): boolean => subject !== undefined);
  if (!found?.[1]) {
    return undefined;
  }
  const [ type, it ] = found as [LogType, string];
  let log: FarmLog = {
    slug,
    type,
    timestamp: graph.getValue(it, DCTERMS('date')) ?? '',
    status: (graph.getValue(it, FMP('status'))?.replace(FMP('status-'), '') ?? 'pending') as LogStatus,
    assets: graph.getValues(it, FMP('asset')),
    quantities: graph.getValues(it, FMP('quantity')).map((node): LogQuantity => ({
      measure: (graph.getValue(node, FMP('measure')) ?? '').replace(FMP('measure-'), '') as Measure,
      value: graph.getNumber(node, DFC_B('value')) ?? Number.NaN,
      unit: graph.getValue(node, DFC_B('hasUnit')) ?? '',
    })),
  };
  log = withOptional(log, 'name', graph.getValue(it, SCHEMA('name')));
  log = withOptional(log, 'location', graph.getValue(it, SCHEMA('location')));
  log = withOptional(log, 'notes', graph.getValue(it, SCHEMA('description')));
  return withOptional(log, 'lotNumber', graph.getValue(it, FMP('lotNumber')));
}
