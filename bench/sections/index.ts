/**
 * The sections, in the order they run. Baselines run before the figure they are compared with.
 * Dashboard and memory are to be added here.
 */
import type { Section } from '../lib/section';
import { baselineNextNoop } from './baseline-next-noop';
import { baselinePg } from './baseline-pg';
import { delivery } from './delivery';
import { ingest } from './ingest';

export const sections: Section[] = [baselinePg, baselineNextNoop, ingest, delivery];
