import { type AddressClass } from './address-class';

export type OutboundRefusalReason = Exclude<AddressClass, 'public'> | 'scheme' | 'credentials' | 'redirects';

/**
 * Pulse refused to send a request (and the credentials with it) to this target. The message
 * is written for the manager who configured the connection and names no resolved address.
 */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
  constructor(
    message: string,
    readonly target: string,
    readonly reason: OutboundRefusalReason,
  ) {
    super(message);
  }
}

/** The refusal behind an error, following `cause` chains (HTTP clients wrap socket errors). */
export function findOutboundRefusal(e: unknown): OutboundRefusedError | null {
  let current: unknown = e;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof OutboundRefusedError) return current;
    if (typeof current === 'object' && current !== null && 'cause' in current) {
      current = (current as { cause?: unknown }).cause;
    } else return null;
  }
  return null;
}
