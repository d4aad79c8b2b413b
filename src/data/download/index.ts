/** Downloading the benchmark datasets: catalog, downloader, zip extraction, SOURCE.md. */
export {
  CATALOG,
  catalogEntry,
  displaySize,
  formatBytes,
  fullyPinned,
  pinnedBytes,
  specFor,
  type CatalogFile,
  type CatalogSpec,
  type DatasetEntry,
  type ZipMember,
} from './catalog.js';
export {
  datasetFolder,
  downloadDataset,
  isCompleteDownload,
  overallFraction,
  type DownloadedFile,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
} from './download.js';
export { AlreadyDownloadedError, DownloadCancelledError, DownloadError } from './errors.js';
export { fetchFile, type FetchedFile, type FetchFileOptions } from './fetchFile.js';
export { MIRROR_ENV, mirroredUrl, parseMirror, resolveMirror } from './mirror.js';
export { SOURCE_FILE, sourceMarkdown, type SourceRecord } from './sourceFile.js';
export { extractZipMembers, isPlainFileName, isSafeMemberName, type ExtractedFile } from './zip.js';
