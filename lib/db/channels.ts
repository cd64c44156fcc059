/**
 * The Postgres NOTIFY channels, named once: the processes that send and the ones that LISTEN
 * must agree on them, and neither side owns the other.
 */

/** Configuration changed (sources, secrets, destinations, routes): every process drops its cached copy. */
export const CONFIG_CHANNEL = 'hookyard_config';

/**
 * New deliveries or events committed: idle delivery workers wake up, and so does each process's
 * event stream hub (both also poll, so a lost one only delays).
 */
export const DELIVERIES_CHANNEL = 'hookyard_deliveries';
