/**
 * Chooses the tfjs backend at run time: tfjs-node ('tensorflow') when it is installed (an
 * optional dependency: looked for with a guarded dynamic import), else tfjs-backend-wasm, else
 * the pure JS cpu backend. Each candidate must also pass a small computation before it is
 * kept; why the others were passed over is recorded for logs and run metadata.
 */
// the tfjs package, not tfjs-core alone: it also registers the cpu backend and the gradients
// of the built-in ops, without which no autodiff around our kernels works
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  /** why it was not used */
  readonly reason?: string;
}

export interface BackendInfo {
  readonly name: BackendName;
  /** every backend tried, in order, the chosen one last */
  readonly attempts: readonly BackendAttempt[];
  /** wasm backend only: whether it runs its SIMD / multi-threaded build */
  readonly wasmSimd?: boolean;
  readonly wasmThreads?: boolean;
  readonly tfjsVersion: string;
  readonly initMs: number;
}

export interface InitBackendOptions {
  /** candidates in order of preference; default tensorflow, wasm, cpu (cpu is always last) */
  readonly prefer?: readonly BackendName[];
  readonly log?: (message: string) => void;
}

const DEFAULT_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
let chosen: BackendInfo | undefined;

/** The backend chosen by the last initBackend(), if any. */
export function backendInfo(): BackendInfo | undefined {
  return chosen;
}

export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const t0 = performance.now();
  const order = [...(opts.prefer ?? DEFAULT_ORDER).filter((b) => b !== 'cpu'), 'cpu' as const];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const reason = await tryBackend(name);
    attempts.push(reason === undefined ? { name, ok: true } : { name, ok: false, reason });
    if (reason !== undefined) continue;
    chosen = {
      name,
      attempts,
      ...(name === 'wasm'
        ? {
            wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
            wasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
          }
        : {}),
      tfjsVersion: tf.version_core,
      initMs: Math.round(performance.now() - t0),
    };
    opts.log?.(describeBackend(chosen));
    return chosen;
  }
  throw new Error(
    `no tfjs backend could start: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`,
  );
}

/** One line for logs: "tfjs backend wasm (SIMD) [tensorflow: not installed]". */
export function describeBackend(info: BackendInfo): string {
  const extra =
    info.name === 'wasm'
      ? ` (${info.wasmSimd ? 'SIMD' : 'no SIMD'}${info.wasmThreads ? ', threads' : ''})`
      : '';
  const skipped = info.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
  return `tfjs backend ${info.name}${extra}${skipped.length ? ` [${skipped.join('; ')}]` : ''}`;
}

/** Sets up and selects a backend; undefined when it works, else why not. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'tensorflow') {
      // a variable specifier: the package is optional, so neither tsc nor esbuild may resolve it
      const specifier = '@tensorflow/tfjs-node';
      try {
        await import(specifier);
      } catch (e) {
        return isNotFound(e) ? 'not installed' : `failed to load: ${message(e)}`;
      }
    }
    if (name === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // in Node the .wasm files are read from the package's dist folder by file path
      wasm.setWasmPaths(`${wasmDistDir()}/`);
    }
    if (!(await tf.setBackend(name))) return 'did not initialise';
    await tf.ready();
    const check = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 1], [2, 1])).dataSync(),
    );
    if (check[0] !== 3 || check[1] !== 7)
      return `wrong result in a smoke test: ${Array.from(check)}`;
    return undefined;
  } catch (e) {
    return message(e);
  }
}

function wasmDistDir(): string {
  const here = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
  return join(
    dirname(createRequire(here).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
