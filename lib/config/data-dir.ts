import path from 'node:path';

/** Where embedded mode keeps its database and generated secrets: HOOKYARD_DATA_DIR, else `.data/`. */
export function dataDirectory(root = process.cwd()): string {
  return process.env.HOOKYARD_DATA_DIR ? path.resolve(process.env.HOOKYARD_DATA_DIR) : path.join(root, '.data');
}
