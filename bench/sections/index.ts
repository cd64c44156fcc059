/**
 * The sections, in the order they run. Baselines run before the figure they are compared with;
 * memory runs last (it reports the peaks sampled over the whole run).
 */
import type { Section } from '../lib/section';
import { baselineNextNoop } from './baseline-next-noop';
import { baselinePg } from './baseline-pg';
import { dashboard } from './dashboard';
import { delivery } from './delivery';
import { destinationTypes } from './destination-types';
import { ingest } from './ingest';
import { memory } from './memory';

export const sections: Section[] = [baselinePg, baselineNextNoop, ingest, delivery, destinationTypes, dashboard, memory];
