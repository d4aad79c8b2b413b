/**
 * Field parsing shared by the loaders: numbers are checked where they are read, so a bad value
 * stops the load with its file and line instead of becoming NaN in a model later.
 */
import { InputError, type InputLocation } from '../../util/errors.js';

/** A finite number, or undefined (Number('') is 0 and Number('1,5') NaN: both refused). */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (t.length === 0) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp in seconds: a number as it is (the source's own unit), or an ISO-8601 date
 * (`2014-04-07T10:51:09.277Z`, `2019-01-31 08:00:00`; read as UTC without a zone) in seconds
 * since the epoch. Undefined when neither.
 */
export function parseTimestamp(s: string): number | undefined {
  const v = parseNumber(s);
  if (v !== undefined) return v;
  const t = s.trim();
  if (!ISO_DATE.test(t)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t) || t.length === 10 ? t : `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

export function numberOrThrow(s: string, where: InputLocation, what: string): number {
  const v = parseNumber(s);
  if (v === undefined) throw new InputError({ ...where, text: s }, what);
  return v;
}

export function timestampOrThrow(s: string, where: InputLocation, what: string): number {
  const v = parseTimestamp(s);
  if (v === undefined) throw new InputError({ ...where, text: s }, what);
  return v;
}
