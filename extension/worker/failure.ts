/**
 * A job's thrown error as the worker's 'failed' message: the text the extension shows, and,
 * for a header that names no user/item column, the header and the missing roles as data (an
 * Error's class does not survive postMessage, and the host should not parse the text).
 */
import { UnnamedColumnsError } from '../../src/data/loaders/columns.js';
import { CancelledError } from '../../src/train/trainer.js';
import type { WorkerEvent } from '../shared/messages.js';
import { displayMessage } from '../util/errorText.js';

export function failureEvent(
  e: unknown,
  aborted: boolean,
): Extract<WorkerEvent, { type: 'failed' }> {
  return {
    type: 'failed',
    message: displayMessage(e),
    cancelled: e instanceof CancelledError || aborted,
    ...(e instanceof UnnamedColumnsError && {
      columns: { file: e.file, header: [...e.header], roles: [...e.roles] },
    }),
  };
}
