import { formatBytes } from './formatBytes';

/** "This pod uses 998.2 MB of its 1 GB quota". */
export function describePodUsage(usedBytes: number, limitBytes: number): string {
  return `This pod uses ${formatBytes(usedBytes)} of its ${formatBytes(limitBytes)} quota`;
}

/**
 * Why a write into a pod is refused: what the pod uses, its quota, and how much more than is left (`leftBytes`, counting
 * what the write replaces) the write needs.
 */
export function describeWriteRefusal(usage: { usedBytes: number; limitBytes: number; leftBytes: number; neededBytes: number }):
string {
  const { usedBytes, limitBytes, leftBytes, neededBytes } = usage;
  const uses = describePodUsage(usedBytes, limitBytes);
  if (leftBytes <= 0) {
    return `${uses}, so nothing more fits; delete something first.`;
  }
  return `${uses}; this write needs ${formatBytes(neededBytes, 'up')} more than is left.`;
}

/** Why an import or restore is refused up front: "Once imported, this pod would use 1.2 GB of its 1 GB quota (…)". */
export function describeArchiveRefusal(action: 'imported' | 'restored', resultingBytes: number, usedBytes: number,
  limitBytes: number): string {
  return `Once ${action}, this pod would use ${formatBytes(resultingBytes)} of its ${formatBytes(limitBytes)} quota ` +
    `(it uses ${formatBytes(usedBytes)} now)`;
}
