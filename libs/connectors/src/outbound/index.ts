export { ADDRESS_CLASS_TEXT, classifyAddress, type AddressClass } from './address-class';
export {
  allowedUpstreamHostsSchema,
  isAllowedHost,
  parseAllowedHost,
  parseAllowedUpstreamHosts,
  upstreamOrigin,
  type AllowedHost,
} from './allowed-hosts';
export {
  createOutboundPolicy,
  type HostResolver,
  type OutboundPolicy,
  type ResolvedAddress,
} from './outbound-policy';
export {
  findOutboundRefusal,
  OutboundRefusedError,
  type OutboundRefusalReason,
} from './outbound-refused.error';
