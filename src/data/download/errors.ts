/** Errors of the download: the server or network failed, or the user cancelled. */
import { RecLabError } from '../../util/errors.js';

/** HTTP status other than 200, or a network failure; names the URL. */
export class DownloadError extends RecLabError {
  override readonly name: string = 'DownloadError';
  constructor(
    readonly url: string,
    problem: string,
  ) {
    super(`${url}: ${problem}`);
  }
}

/** The download was cancelled (AbortSignal); nothing was left behind. */
export class DownloadCancelledError extends RecLabError {
  override readonly name: string = 'DownloadCancelledError';
}

/** The target folder already holds a dataset and `force` was not given. */
export class AlreadyDownloadedError extends RecLabError {
  override readonly name: string = 'AlreadyDownloadedError';
  constructor(
    readonly folder: string,
    readonly complete: boolean,
  ) {
    super(
      complete
        ? `${folder} already holds a complete download (SOURCE.md); use --force to download it again`
        : `${folder} already exists and is not empty; use --force to replace it`,
    );
  }
}
