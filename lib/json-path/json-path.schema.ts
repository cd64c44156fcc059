import { z } from 'zod';
import { parseJsonPath } from './json-path';

/** A JSON path (docs/json-path.md): `data.object.id`, `items[0].sku`, `$.event.type`. */
export const jsonPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((path, ctx) => {
    try {
      if (parseJsonPath(path).length === 0) ctx.addIssue({ code: 'custom', message: 'The path is empty' });
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${path}" is not a JSON path like data.object.id or items[0].sku` });
    }
  });
