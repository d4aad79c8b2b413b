/** Runs the CLI in process, collecting its output lines and the JSON object of its last line. */
import { main } from '../../../src/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly json: Record<string, unknown> | undefined;
}

export async function reclab(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(...l.split('\n')),
    err: (l) => err.push(l),
  });
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(out.at(-1) ?? '');
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}
