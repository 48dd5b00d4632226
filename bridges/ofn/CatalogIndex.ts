import type { Quantity } from '../../shapes/access/types';
import type { OfnRecord } from './mapping';
import { readOfnRecords, sameAmount, sameName } from './mapping';
import type { OfnClient } from './OfnClient';

/** How long the enterprise's catalog, once read, answers "is this product already at OFN?". */
const FRESH_MS = 5 * 60_000;

/**
 * What the enterprise's catalog at OFN holds, to find a product the bridge sent before it could record the link
 * (a worker killed mid-send): by SKU, or an SKU-less product of the same name and quantity (created, SKU not sent
 * yet). Read once and then kept up to date with what this bridge creates, so a first sync reads the catalog once
 * rather than once per product; read again when older than a few minutes.
 */
export class CatalogIndex {
  private records?: OfnRecord[];
  private readAt = 0;

  /**
   * @param client - The connection's OFN client.
   * @param now - The clock.
   */
  public constructor(private readonly client: OfnClient, private readonly now: () => number = Date.now) {}

  /** OFN's id of the product sent with this SKU (or, without one yet, with this name and quantity), if any. */
  public async find(sku: string, name: string, quantity: Quantity): Promise<string | undefined> {
    const records = await this.current();
    return records.find((record): boolean => record.sku === sku)?.id ?? records.find((record): boolean =>
      record.sku === undefined && record.name !== undefined && sameName(record.name, name) &&
      record.quantity !== undefined && sameAmount(record.quantity, quantity))?.id;
  }

  /** Notes a product this bridge just created. */
  public add(id: string, sku: string): void {
    this.records?.push({ id, sku });
  }

  private async current(): Promise<OfnRecord[]> {
    if (!this.records || this.now() - this.readAt > FRESH_MS) {
      this.records = readOfnRecords(await this.client.catalog());
      this.readAt = this.now();
    }
    return this.records;
  }
}
