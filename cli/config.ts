/**
 * Where the CLI finds its Hookyard: HOOKYARD_URL and HOOKYARD_API_KEY when set (each overrides
 * the file on its own), else what `hookyard login` stored in
 * ($XDG_CONFIG_HOME or ~/.config)/hookyard/config.json. The key is a secret, so the folder is 0700
 * and the file 0600, written whole through a temporary file so that a crash leaves no half file.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors';

export interface Credentials {
  url: string;
  key: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'hookyard');
}

export const configFile = (env: NodeJS.ProcessEnv = process.env): string => join(configDir(env), 'config.json');

async function readStored(env: NodeJS.ProcessEnv): Promise<Partial<Credentials>> {
  let text: string;
  try {
    text = await readFile(configFile(env), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`Cannot read ${configFile(env)}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    return { url: typeof parsed.url === 'string' ? parsed.url : undefined, key: typeof parsed.key === 'string' ? parsed.key : undefined };
  } catch {
    throw new CliError(`${configFile(env)} is not valid JSON: run hookyard login again`);
  }
}

/** The URL without a trailing slash; only http(s). */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`Not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`Not an http(s) URL: ${raw}`);
  return url.toString().replace(/\/+$/, '');
}

export async function loadCredentials(env: NodeJS.ProcessEnv = process.env): Promise<Credentials> {
  const stored = await readStored(env);
  const url = env.HOOKYARD_URL || stored.url;
  const key = env.HOOKYARD_API_KEY || stored.key;
  if (!url || !key) {
    throw new CliError('Not logged in: run `hookyard login --url URL --key KEY`, or set HOOKYARD_URL and HOOKYARD_API_KEY');
  }
  return { url: normalizeUrl(url), key };
}

export async function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const file = configFile(env);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}
