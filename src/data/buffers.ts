/**
 * Growable typed-array buffers: loaders append one value at a time without knowing the
 * final count, and a typed array (not an array of objects) keeps 100 MB inputs to a few
 * bytes per value. Capacity doubles, so appends are amortised O(1).
 */

type TypedArrayOf<T> = T extends Int32Array
  ? Int32Array
  : T extends Float32Array
    ? Float32Array
    : Float64Array;

interface TypedCtor<T extends Int32Array | Float32Array | Float64Array> {
  new (length: number): T;
}

class Growable<T extends Int32Array | Float32Array | Float64Array> {
  private buf: T;
  private n = 0;

  constructor(
    private readonly ctor: TypedCtor<T>,
    capacity = 1024,
  ) {
    this.buf = new ctor(Math.max(16, capacity));
  }

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new this.ctor(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }

  get(i: number): number {
    return this.buf[i];
  }

  /** A right-sized copy; the buffer can go on growing afterwards. */
  toArray(): TypedArrayOf<T> {
    return this.buf.slice(0, this.n) as TypedArrayOf<T>;
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor(capacity?: number) {
    super(Int32Array, capacity);
  }
}

export class GrowableFloat32 extends Growable<Float32Array> {
  constructor(capacity?: number) {
    super(Float32Array, capacity);
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity?: number) {
    super(Float64Array, capacity);
  }
}

/** Concatenates typed arrays of one kind. */
export function concatInt32(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function concatFloat64(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
