/**
 * The pod containers whose contents are constrained by shapes, named by their path segment
 * (`catalog/`, `land/`, `logs/`, `orders/`, `profile/`).
 */
export type ContainerKind = 'catalog' | 'land' | 'logs' | 'orders' | 'profile';

/** Every {@link ContainerKind}, in a stable order. */
export const CONTAINER_KINDS: readonly ContainerKind[] = Object.freeze([
  'catalog', 'land', 'logs', 'orders', 'profile',
]);

/** Tells whether a string names a {@link ContainerKind}. */
export function isContainerKind(value: string): value is ContainerKind {
  return (CONTAINER_KINDS as readonly string[]).includes(value);
}
