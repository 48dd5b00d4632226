import { enterpriseToQuads } from './enterpriseRdf';
import { type PodOptions, resourceUrl, writeResource } from './podIo';
import type { Enterprise } from './types';

/** The slug of the farm profile inside `profile/`. */
export const ENTERPRISE_SLUG = 'enterprise';

/** Writes the farm profile to `profile/enterprise` after validating it; throws `ShapeViolationError` before sending if invalid. */
export async function saveEnterprise(podUrl: string, enterprise: Enterprise, options: PodOptions = {}): Promise<void> {
  const url = resourceUrl(podUrl, 'profile', ENTERPRISE_SLUG);
  await writeResource('profile', url, enterpriseToQuads(url, enterprise), options);
}
