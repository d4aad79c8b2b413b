/**
 * One shared WebAssembly memory for every thread of a pool, and a small allocator over it.
 * Arrays the kernels read or write live here, so a kernel call passes byte offsets and no data
 * is copied between threads. Growing a shared memory never moves it: views made before a grow
 * stay valid for their range, so callers may keep the typed arrays this hands out.
 */
const PAGE = 65536;
/** 64-byte alignment: a cache line, and any typed-array or v128 alignment. */
const ALIGN = 64;

export interface HeapOptions {
  readonly initialBytes?: number;
  /** upper bound of the memory; 4 GiB (the wasm32 limit) by default, reserved virtually */
  readonly maxBytes?: number;
}

export class SharedHeap {
  readonly memory: WebAssembly.Memory;
  /** free blocks by offset, sorted, coalesced */
  private readonly freeList: { offset: number; size: number }[] = [];
  /** offset -> size of live blocks */
  private readonly live = new Map<number, number>();
  /** every buffer object this memory has had: views over any of them are ours */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top = ALIGN; // offset 0 is kept as a null pointer

  constructor(opts: HeapOptions = {}) {
    const initial = Math.max(1, Math.ceil((opts.initialBytes ?? 16 << 20) / PAGE));
    const maximum = Math.min(
      65536,
      Math.max(initial, Math.ceil((opts.maxBytes ?? 2 ** 32) / PAGE)),
    );
    this.memory = new WebAssembly.Memory({ initial, maximum, shared: true });
    this.buffers.add(this.memory.buffer);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes in live blocks. */
  get usedBytes(): number {
    let n = 0;
    for (const s of this.live.values()) n += s;
    return n;
  }

  /** A block of at least `bytes` bytes (zeroed only when fresh from the top); its offset. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.freeList.length; i++) {
      const b = this.freeList[i];
      if (b.size < size) continue;
      const offset = b.offset;
      if (b.size === size) this.freeList.splice(i, 1);
      else {
        b.offset += size;
        b.size -= size;
      }
      this.live.set(offset, size);
      return offset;
    }
    const offset = this.top;
    this.ensure(offset + size);
    this.top = offset + size;
    this.live.set(offset, size);
    return offset;
  }

  /** Returns a block to the heap. */
  release(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) throw new Error(`heap: no live block at ${offset}`);
    this.live.delete(offset);
    let i = 0;
    while (i < this.freeList.length && this.freeList[i].offset < offset) i++;
    this.freeList.splice(i, 0, { offset, size });
    // coalesce with the next, then the previous block
    const cur = this.freeList[i];
    const next = this.freeList[i + 1];
    if (next && cur.offset + cur.size === next.offset) {
      cur.size += next.size;
      this.freeList.splice(i + 1, 1);
    }
    const prev = this.freeList[i - 1];
    if (prev && prev.offset + prev.size === cur.offset) {
      prev.size += cur.size;
      this.freeList.splice(i, 1);
    }
    // give the topmost free block back to the bump region
    const last = this.freeList[this.freeList.length - 1];
    if (last && last.offset + last.size === this.top) {
      this.top = last.offset;
      this.freeList.pop();
    }
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.buffer(), offset, length);
  }

  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.buffer(), offset, length);
  }

  /** A new float32 array in the heap, zeroed unless `zero` is false (it will be overwritten). */
  allocF32(length: number, zero = true): Float32Array {
    const a = this.f32(this.alloc(length * 4), length);
    if (zero) a.fill(0);
    return a;
  }

  /** A new int32 array in the heap, zeroed unless `zero` is false. */
  allocI32(length: number, zero = true): Int32Array {
    const a = this.i32(this.alloc(length * 4), length);
    if (zero) a.fill(0);
    return a;
  }

  /** Frees an array made by allocF32/allocI32 (or a view at the start of a block). */
  free(view: ArrayBufferView): void {
    if (!this.owns(view)) throw new Error('heap: this array does not live in this heap');
    this.release(view.byteOffset);
  }

  /** Whether a typed array is a view of this memory (so kernels can use it in place). */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  private buffer(): SharedArrayBuffer {
    const b = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(b);
    return b;
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    // grow by at least a quarter to keep the number of grows logarithmic
    const want = Math.max(Math.ceil((bytes - have) / PAGE), Math.ceil(have / PAGE / 4));
    try {
      this.memory.grow(want);
    } catch {
      this.memory.grow(Math.ceil((bytes - have) / PAGE));
    }
    this.buffers.add(this.memory.buffer);
  }
}
