import { v7 } from 'uuid';

/** Time-ordered UUIDv7 ids for rows the application creates before inserting (events, deliveries). */
export const newId = (): string => v7();
