import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { OfnRecord } from '../../../bridges/ofn/mapping';
import { ofnToProduct, productToDfcGraph, readOfnRecords } from '../../../bridges/ofn/mapping';
import { quadsToTurtle } from '../../../shapes/access/podIo';
import { productToQuads } from '../../../shapes/access/productRdf';
import { formatViolations } from '../../../shapes/formatViolations';
import { parseRdf } from '../../../shapes/parseRdf';
import { validateDataset } from '../../../shapes/validateDataset';
import { addBridgeTargetCommands } from './bridgeTargetCommands';
import { BRIDGE_TARGETS } from './bridgeTargets';
import { CONVERT_BASE, readPodProduct } from './convertFiles';

interface ConvertOptions {
  from: 'pod' | 'ofn';
  slug?: string;
  contentType?: string;
}

/** `fmp bridge ofn …`: `convert`, and the bridge runtime's connect, sync, status, preview, retry, renew, disconnect. */
export function addOfnBridgeCommands(bridge: Command): Command {
  const ofn = bridge.command('ofn').description('the Open Food Network bridge (OFN\'s DFC API, DFC 1.16 JSON-LD)');
  ofn.command('convert <file>')
    .description('convert one document between pod data and the DFC JSON-LD of OFN\'s API, offline, to check the ' +
      'mapping by hand: pod Turtle or JSON-LD → the DFC documents OFN holds (JSON-LD); an OFN/DFC JSON-LD document → pod Turtle')
    .addOption(new Option('--from <side>', 'what the file holds').choices([ 'pod', 'ofn' ]).makeOptionMandatory())
    .option('--slug <name>', 'the product\'s name in catalog/ (default: the file\'s name --from pod; from the name --from ofn)')
    .option('--content-type <type>', '--from pod: the document\'s media type (default: by extension, .ttl .jsonld .json .nt .nq)')
    .action(async(file: string, options: ConvertOptions): Promise<void> => {
      const text = await readFile(file, 'utf8');
      process.stdout.write(await inFile(file, async(): Promise<string> => options.from === 'pod' ?
        `${JSON.stringify(await podToOfn(file, text, options), null, 2)}\n` :
        ofnToTurtle(text, options)));
    });
  addBridgeTargetCommands(ofn, BRIDGE_TARGETS.ofn, (server, member): string =>
    'Have OFN send its refresh events (DFC webhook, with the webhook token as bearer token) to:\n' +
    `  ${new URL(`.fmp/bridges/ofn/webhooks/${encodeURIComponent(member)}`, server).href}`);
  return ofn;
}

/** Runs a conversion, prefixing what it cannot map with the file's name (the CLI prints it as one line). */
async function inFile<T>(file: string, convert: () => Promise<T>): Promise<T> {
  try {
    return await convert();
  } catch (error: unknown) {
    throw new Error(`${file}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

/** A pod product as the DFC documents OFN answers for it (catalog item, supplied product, offer in one graph). */
async function podToOfn(file: string, text: string, options: ConvertOptions): Promise<object> {
  const { product, url } = await readPodProduct(file, text, options);
  return productToDfcGraph(product, url);
}

/** An OFN/DFC document's products as pod Turtle (one resource each, under `catalog/`), checked by the catalog shapes. */
async function ofnToTurtle(text: string, options: ConvertOptions): Promise<string> {
  const records: OfnRecord[] = readOfnRecords(await parseRdf(text, 'application/ld+json', CONVERT_BASE));
  if (records.length === 0) {
    throw new Error('holds no dfc-b:CatalogItem, so no product to convert');
  }
  const quads = records.flatMap((record, index) => {
    const converted = ofnToProduct(record);
    const slug = options.slug === undefined ? converted.slug : records.length === 1 ? options.slug : `${options.slug}-${index + 1}`;
    const url = `${CONVERT_BASE}${encodeURIComponent(slug)}`;
    return productToQuads(url, { ...converted, slug });
  });
  const report = validateDataset('catalog', quads);
  if (!report.conforms) {
    throw new Error(`gives products the catalog shapes refuse: ${formatViolations(report)[0]}`);
  }
  return quadsToTurtle(quads, records.length === 1 ? quads[0].subject.value.split('#')[0] : undefined);
}
