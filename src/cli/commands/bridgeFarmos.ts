import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { JsonApiDocument, Resource } from '../../../bridges/farmos/jsonApi';
import { farmosToPod, payloadDocument, podToFarmos, recordsOf } from '../../../bridges/farmos/mapping';
import { checkResource } from '../../../bridges/farmos/schemas';
import type { PodItem } from '../../../bridges/runtime/TargetAdapter';
import type { ContainerKind } from '../../../shapes/ContainerKind';
import { quadsToTurtle } from '../../../shapes/access/podIo';
import { formatViolations } from '../../../shapes/formatViolations';
import { parseRdf } from '../../../shapes/parseRdf';
import { validateDataset } from '../../../shapes/validateDataset';
import { FMP } from '../../../shapes/namespaces';
import { addBridgeTargetCommands } from './bridgeTargetCommands';
import { BRIDGE_TARGETS } from './bridgeTargets';

/** Where converted records pretend to live; paths below it are the pod's (`land/…`, `logs/…`). */
const CONVERT_POD = 'https://pod.invalid/';
const LAND_CLASSES = new Set([ FMP('LandAsset'), FMP('PlantAsset') ]);

interface ConvertOptions {
  from: 'pod' | 'farmos';
  slug?: string;
  contentType?: string;
}

/** `fmp bridge farmos …`: the runtime's commands with farmOS's connect options, and an offline `convert`. */
export function addFarmosCommands(bridge: Command): void {
  const farmos = bridge.command('farmos').description('the farmOS bridge (farmOS 3.x JSON:API, polled)');
  farmos.command('convert <file>')
    .description('convert between pod data and farmOS, offline, to check the mapping by hand: pod Turtle (a land asset, ' +
      'planting or log) → a JSON:API document (the record, with the terms and quantities it refers to as included), ' +
      'checked against farmOS\'s schemas; a JSON:API document or collection as farmOS answers it (with included) → pod Turtle')
    .addOption(new Option('--from <side>', 'what the file holds').choices([ 'pod', 'farmos' ]).makeOptionMandatory())
    .option('--slug <name>', '--from pod: the resource\'s name in land/ or logs/ (default: the file\'s name)')
    .option('--content-type <type>', '--from pod: the media type (default text/turtle)')
    .action(async(file: string, options: ConvertOptions): Promise<void> => {
      const text = await readFile(file, 'utf8');
      try {
        process.stdout.write(options.from === 'pod' ? `${JSON.stringify(await podToJsonApi(file, text, options), null, 2)}\n` :
          farmosToTurtle(text));
      } catch (error: unknown) {
        throw new Error(`${file}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
      }
    });
  addBridgeTargetCommands(farmos, BRIDGE_TARGETS.farmos, (): string =>
    'farmOS sends no webhooks: the bridge asks it for changes every few minutes (the server\'s ' +
    '--bridge-poll-interval); `npx fmp bridge farmos sync <member>` asks at once.');
}

async function podToJsonApi(file: string, text: string, options: ConvertOptions): Promise<JsonApiDocument> {
  const slug = options.slug ?? basename(file, extname(file));
  const probe = await parseRdf(text, options.contentType ?? 'text/turtle', `${CONVERT_POD}land/${slug}`);
  const kind: ContainerKind = probe.some((quad): boolean => quad.predicate.value.endsWith('#type') && LAND_CLASSES.has(quad.object.value)) ?
    'land' :
    'logs';
  const url = `${CONVERT_POD}${kind}/${encodeURIComponent(slug)}`;
  const quads = await parseRdf(text, options.contentType ?? 'text/turtle', url);
  const report = validateDataset(kind, quads);
  if (!report.conforms) {
    const lines = formatViolations(report);
    throw new Error(`breaks the ${kind} shapes: ${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`);
  }
  const payload = podToFarmos({ url, quads }, CONVERT_POD);
  if (!payload) {
    throw new Error('holds no land asset, planting or log (fmp:LandAsset, fmp:PlantAsset, fmp:HarvestLog, …)');
  }
  const document = payloadDocument(payload);
  for (const resource of [ document.data as Resource, ...document.included ?? [] ]) {
    const [ problem ] = checkResource(resource, true);
    if (problem) {
      throw new Error(`farmOS's schema for ${resource.type} refuses it: ${problem.pointer}: ${problem.message}`);
    }
  }
  return document;
}

function farmosToTurtle(text: string): string {
  const records = recordsOf(JSON.parse(text) as JsonApiDocument);
  if (records.length === 0) {
    throw new Error('holds no asset--land, asset--plant or log--seeding|harvest|activity|observation');
  }
  return records.map((record): string => {
    const item: PodItem = farmosToPod(record, undefined, CONVERT_POD);
    const kind: ContainerKind = item.url.startsWith(`${CONVERT_POD}land/`) ? 'land' : 'logs';
    const report = validateDataset(kind, item.quads);
    if (!report.conforms) {
      throw new Error(`${record.data.type} ${record.data.id} gives a resource the ${kind} shapes refuse: ${formatViolations(report)[0]}`);
    }
    return `# ${item.url.slice(CONVERT_POD.length)}\n${quadsToTurtle([ ...item.quads ], records.length === 1 ? item.url : undefined)}`;
  }).join('\n');
}
