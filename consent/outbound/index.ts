// The outbound guard: where requests made on someone else's say-so may go. Plain logic over undici, no server:
// the pod server, the CLI and bridges (which take an injected fetch) use it.
export * from './privateAddresses';
export * from './OutboundPolicy';
export * from './OutboundRefusedError';
export * from './checkAddresses';
export * from './OutboundGuard';
