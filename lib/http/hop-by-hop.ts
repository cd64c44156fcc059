/**
 * Headers that belong to one HTTP hop (RFC 9110 §7.6.1) or to its framing, which the client of
 * the next hop sets itself: never copied from one request to another, nor accepted as a
 * destination's own header.
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
];
