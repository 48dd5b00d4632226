import type { ContainerKind } from './ContainerKind';
import { isContainerKind } from './ContainerKind';

/**
 * The container kind whose shapes constrain data at a pod-relative path (`catalog/carrots` → `catalog`): the first
 * segment, when it names a {@link ContainerKind} and something follows it; undefined elsewhere (`notes/x`, `card`).
 */
export function containerKindOfPath(podRelativePath: string): ContainerKind | undefined {
  const [ segment, ...rest ] = podRelativePath.split('/');
  return rest.length > 0 && isContainerKind(segment) ? segment : undefined;
}
