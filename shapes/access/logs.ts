import { logToQuads, quadsToLog } from './logRdf';
import { containerUrl, type PodOptions, readAll, resourceUrl, writeResource } from './podIo';
import type { FarmLog, LogQuantity } from './types';

/** Lists the logs in a pod's `logs/` container, optionally of one type. */
export async function listLogs(podUrl: string, options: PodOptions & { type?: FarmLog['type'] } = {}): Promise<FarmLog[]> {
  const logs = await readAll(containerUrl(podUrl, 'logs'), quadsToLog, options);
  return options.type ? logs.filter((log): boolean => log.type === options.type) : logs;
}

/** Writes a log to `logs/<slug>` after validating it; throws `ShapeViolationError` before sending if invalid. */
export async function saveLog(podUrl: string, log: FarmLog, options: PodOptions = {}): Promise<void> {
  const url = resourceUrl(podUrl, 'logs', log.slug);
  await writeResource('logs', url, logToQuads(url, log), options);
}

/** What {@link recordHarvest} needs to know about a harvest. */
export interface HarvestInput {
  readonly slug: string;
  /** IRI of the planting harvested (`land/<slug>#it`). */
  readonly plant: string;
  /** ISO 8601 date-time; defaults to now. */
  readonly timestamp?: string;
  readonly quantity: Omit<LogQuantity, 'measure'> & { readonly measure?: LogQuantity['measure'] };
  readonly lotNumber?: string;
  readonly location?: string;
  readonly name?: string;
}

/**
 * Records a done harvest of a planting as a harvest log. The measure defaults to weight.
 * Returns the log that was written. Throws `ShapeViolationError` before sending if it is invalid.
 */
export async function recordHarvest(podUrl: string, harvest: HarvestInput, options: PodOptions = {}): Promise<FarmLog> {
  const log: FarmLog = {
    slug: harvest.slug,
    type: 'harvest',
    timestamp: harvest.timestamp ?? new Date().toISOString(),
    status: 'done',
    assets: [ harvest.plant ],
    quantities: [ { measure: 'weight', ...harvest.quantity } ],
    ...harvest.name === undefined ? {} : { name: harvest.name },
    ...harvest.lotNumber === undefined ? {} : { lotNumber: harvest.lotNumber },
    ...harvest.location === undefined ? {} : { location: harvest.location },
  };
  await saveLog(podUrl, log, options);
  return log;
}
