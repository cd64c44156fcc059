/**
 * The sections, in the order they run. Baselines run before the figure they are compared with.
 * Delivery, end to end, dashboard and memory are to be added here.
 */
import type { Section } from '../lib/section';
import { baselineNextNoop } from './baseline-next-noop';
import { baselinePg } from './baseline-pg';
import { ingest } from './ingest';

export const sections: Section[] = [baselinePg, baselineNextNoop, ingest];
