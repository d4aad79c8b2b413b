;; RecLab engine kernels: WebAssembly SIMD (f32x4) over one shared linear memory.
;;
;; Compiled at build time by scripts/build-wasm.mjs (wabt) into kernels.generated.ts; edit this
;; file, then run `node scripts/build-wasm.mjs`. The test test/unit/engine/wasmBuild.test.ts
;; fails when the generated module no longer matches this source.
;;
;; Conventions
;; - Every pointer argument is a byte offset into the imported memory; dense matrices are
;;   row-major float32 with `dim` columns (rows are dim*4 bytes apart, any alignment).
;; - CSR: rowPtr int32[nRows+1], col int32[nnz], val float32[nnz].
;; - Every sum is accumulated in float32 in a fixed order (neighbour order for SpMM, dimension
;;   order for scores), one rounding per multiply and per add. The JS kernels in ../kernels/
;;   reproduce this bit for bit with Math.fround, and the result of a row never depends on which
;;   thread computed it or on how rows were split.
(module
  (import "env" "mem" (memory 1 65536 shared))

  ;; ---------------------------------------------------------------------------------------
  ;; One output row of a sparse x dense product:
  ;;   Y[yo .. yo+rowBytes) = sum over p in [ps, pe) of val[p] * X[col[p]]
  ;; Columns go in passes of 16 floats (4 v128 accumulators: the fastest shape measured at
  ;; d = 64), then passes of 4, then single floats, so any dim works.
  (func $row
    (param $ps i32) (param $pe i32) (param $col i32) (param $val i32)
    (param $X i32) (param $rowBytes i32) (param $yo i32)
    (local $c i32) (local $pc i32) (local $pv i32) (local $pend i32) (local $xo i32)
    (local $w v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $s f32)
    (local.set $pend (i32.add (local.get $col) (i32.shl (local.get $pe) (i32.const 2))))
    (local.set $c (i32.const 0))
    ;; passes of 16 floats
    (block $done16
      (loop $pass16
        (br_if $done16 (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $pc (i32.add (local.get $col) (i32.shl (local.get $ps) (i32.const 2))))
        (local.set $pv (i32.add (local.get $val) (i32.shl (local.get $ps) (i32.const 2))))
        (block $end
          (loop $nbrs
            (br_if $end (i32.ge_u (local.get $pc) (local.get $pend)))
            (local.set $w (v128.load32_splat (local.get $pv)))
            (local.set $xo
              (i32.add
                (i32.add (local.get $X) (local.get $c))
                (i32.mul (i32.load (local.get $pc)) (local.get $rowBytes))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $w) (v128.load offset=0 (local.get $xo)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $xo)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $xo)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $xo)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
            (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
            (br $nbrs)))
        (local.set $xo (i32.add (local.get $yo) (local.get $c)))
        (v128.store offset=0 (local.get $xo) (local.get $a0))
        (v128.store offset=16 (local.get $xo) (local.get $a1))
        (v128.store offset=32 (local.get $xo) (local.get $a2))
        (v128.store offset=48 (local.get $xo) (local.get $a3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $pass16)))
    ;; passes of 4 floats
    (block $done4
      (loop $pass4
        (br_if $done4 (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $rowBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $pc (i32.add (local.get $col) (i32.shl (local.get $ps) (i32.const 2))))
        (local.set $pv (i32.add (local.get $val) (i32.shl (local.get $ps) (i32.const 2))))
        (block $end
          (loop $nbrs
            (br_if $end (i32.ge_u (local.get $pc) (local.get $pend)))
            (local.set $xo
              (i32.add
                (i32.add (local.get $X) (local.get $c))
                (i32.mul (i32.load (local.get $pc)) (local.get $rowBytes))))
            (local.set $a0
              (f32x4.add (local.get $a0)
                (f32x4.mul (v128.load32_splat (local.get $pv)) (v128.load (local.get $xo)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
            (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
            (br $nbrs)))
        (v128.store (i32.add (local.get $yo) (local.get $c)) (local.get $a0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $pass4)))
    ;; single floats
    (block $done1
      (loop $pass1
        (br_if $done1 (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (local.set $s (f32.const 0))
        (local.set $pc (i32.add (local.get $col) (i32.shl (local.get $ps) (i32.const 2))))
        (local.set $pv (i32.add (local.get $val) (i32.shl (local.get $ps) (i32.const 2))))
        (block $end
          (loop $nbrs
            (br_if $end (i32.ge_u (local.get $pc) (local.get $pend)))
            (local.set $s
              (f32.add (local.get $s)
                (f32.mul
                  (f32.load (local.get $pv))
                  (f32.load
                    (i32.add
                      (i32.add (local.get $X) (local.get $c))
                      (i32.mul (i32.load (local.get $pc)) (local.get $rowBytes)))))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
            (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
            (br $nbrs)))
        (f32.store (i32.add (local.get $yo) (local.get $c)) (local.get $s))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $pass1))))

  ;; Y[i] = (A X)[i] for rows i in [r0, r1).
  (func (export "spmm")
    (param $rowPtr i32) (param $col i32) (param $val i32) (param $X i32) (param $Y i32)
    (param $dim i32) (param $r0 i32) (param $r1 i32)
    (local $i i32) (local $rb i32) (local $rp i32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $rp (i32.add (local.get $rowPtr) (i32.shl (local.get $i) (i32.const 2))))
        (call $row
          (i32.load (local.get $rp)) (i32.load offset=4 (local.get $rp))
          (local.get $col) (local.get $val) (local.get $X) (local.get $rb)
          (i32.add (local.get $Y) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Y[k] = (A X)[rows[k]] for k in [k0, k1): the product restricted to a list of rows, written
  ;; compactly (row k of Y, not row rows[k]).
  (func (export "spmm_rows")
    (param $rowPtr i32) (param $col i32) (param $val i32) (param $X i32) (param $Y i32)
    (param $dim i32) (param $rows i32) (param $k0 i32) (param $k1 i32)
    (local $k i32) (local $rb i32) (local $rp i32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $k (local.get $k0))
    (block $done
      (loop $list
        (br_if $done (i32.ge_u (local.get $k) (local.get $k1)))
        (local.set $rp
          (i32.add (local.get $rowPtr)
            (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 2))))
        (call $row
          (i32.load (local.get $rp)) (i32.load offset=4 (local.get $rp))
          (local.get $col) (local.get $val) (local.get $X) (local.get $rb)
          (i32.add (local.get $Y) (i32.mul (local.get $k) (local.get $rb))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $list))))

  ;; OUT[col[p]] += val[p] * DY[k] for every entry p of row rows[k], k in [k0, k1), in order:
  ;; the transpose of spmm_rows (OUT += A[rows]^T DY), a scatter. Only entries whose column is
  ;; in [c0, c1) are done: threads split the output rows (the columns), never the list, so each
  ;; output row gets its additions in list order from one thread, and the bits are the same for
  ;; any split (two rows of the list may hit the same output row).
  (func (export "scatter_rows")
    (param $rowPtr i32) (param $col i32) (param $val i32) (param $DY i32) (param $OUT i32)
    (param $dim i32) (param $rows i32) (param $k0 i32) (param $k1 i32) (param $c0 i32) (param $c1 i32)
    (local $k i32) (local $rb i32) (local $rp i32) (local $pc i32) (local $pv i32) (local $pend i32)
    (local $dyo i32) (local $oo i32) (local $c i32) (local $w v128) (local $ws f32) (local $cw i32)
    (local $cn i32)
    (local.set $cw (i32.sub (local.get $c1) (local.get $c0)))
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $k (local.get $k0))
    (block $done
      (loop $list
        (br_if $done (i32.ge_u (local.get $k) (local.get $k1)))
        (local.set $rp
          (i32.add (local.get $rowPtr)
            (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 2))))
        (local.set $pc (i32.add (local.get $col) (i32.shl (i32.load (local.get $rp)) (i32.const 2))))
        (local.set $pv (i32.add (local.get $val) (i32.shl (i32.load (local.get $rp)) (i32.const 2))))
        (local.set $pend (i32.add (local.get $col) (i32.shl (i32.load offset=4 (local.get $rp)) (i32.const 2))))
        (local.set $dyo (i32.add (local.get $DY) (i32.mul (local.get $k) (local.get $rb))))
        (block $end
          (loop $nbrs
            (br_if $end (i32.ge_u (local.get $pc) (local.get $pend)))
            (local.set $cn (i32.load (local.get $pc)))
            ;; a column outside [c0, c1) is another thread's (unsigned compare: one test)
            (if (i32.ge_u (i32.sub (local.get $cn) (local.get $c0)) (local.get $cw))
              (then
                (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
                (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
                (br $nbrs)))
            (local.set $ws (f32.load (local.get $pv)))
            (local.set $w (f32x4.splat (local.get $ws)))
            (local.set $oo (i32.add (local.get $OUT) (i32.mul (local.get $cn) (local.get $rb))))
            (local.set $c (i32.const 0))
            (block $done4
              (loop $pass4
                (br_if $done4 (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $rb)))
                (v128.store (i32.add (local.get $oo) (local.get $c))
                  (f32x4.add
                    (v128.load (i32.add (local.get $oo) (local.get $c)))
                    (f32x4.mul (local.get $w) (v128.load (i32.add (local.get $dyo) (local.get $c))))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $pass4)))
            (block $done1
              (loop $pass1
                (br_if $done1 (i32.ge_u (local.get $c) (local.get $rb)))
                (f32.store (i32.add (local.get $oo) (local.get $c))
                  (f32.add
                    (f32.load (i32.add (local.get $oo) (local.get $c)))
                    (f32.mul (local.get $ws) (f32.load (i32.add (local.get $dyo) (local.get $c))))))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $pass1)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
            (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
            (br $nbrs)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $list))))

  ;; ---------------------------------------------------------------------------------------
  ;; Dense scores of 4 users against np item panels (np even). A panel holds 4 items
  ;; dimension-major: item 4q+j, dimension d at P + q*dim*16 + d*16 + j*4, so one v128 load
  ;; reads dimension d of 4 items. Register block: 4 users x 2 panels = 8 v128 accumulators,
  ;; 6 loads per 8 multiply-adds (measured 30 GFLOP/s on one core at d = 64, against 22 for
  ;; 4x1 and 4x3, which spills). Score of user a, item 4q+j goes to S + a*lds + (4q+j)*4.
  (func (export "score")
    (param $U i32) (param $ldu i32) (param $P i32) (param $np i32) (param $dim i32)
    (param $S i32) (param $lds i32)
    (local $q i32) (local $k i32) (local $uo i32) (local $io i32) (local $so i32) (local $pb i32)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128) (local $i0 v128) (local $i1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $pb (i32.shl (local.get $dim) (i32.const 4)))
    (local.set $q (i32.const 0))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $q) (local.get $np)))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $uo (local.get $U))
        (local.set $io (i32.add (local.get $P) (i32.mul (local.get $q) (local.get $pb))))
        (local.set $k (local.get $dim))
        (loop $dims
          (local.set $u0 (v128.load32_splat (local.get $uo)))
          (local.set $u1 (v128.load32_splat (i32.add (local.get $uo) (local.get $ldu))))
          (local.set $u2 (v128.load32_splat (i32.add (local.get $uo) (i32.shl (local.get $ldu) (i32.const 1)))))
          (local.set $u3 (v128.load32_splat (i32.add (local.get $uo) (i32.mul (local.get $ldu) (i32.const 3)))))
          (local.set $i0 (v128.load (local.get $io)))
          (local.set $i1 (v128.load (i32.add (local.get $io) (local.get $pb))))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $u0) (local.get $i0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $u0) (local.get $i1))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $u1) (local.get $i0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $u1) (local.get $i1))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $u2) (local.get $i0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $u2) (local.get $i1))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $u3) (local.get $i0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $u3) (local.get $i1))))
          (local.set $uo (i32.add (local.get $uo) (i32.const 4)))
          (local.set $io (i32.add (local.get $io) (i32.const 16)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $dims (local.get $k)))
        (local.set $so (i32.add (local.get $S) (i32.shl (local.get $q) (i32.const 4))))
        (v128.store offset=0 (local.get $so) (local.get $c00))
        (v128.store offset=16 (local.get $so) (local.get $c01))
        (local.set $so (i32.add (local.get $so) (local.get $lds)))
        (v128.store offset=0 (local.get $so) (local.get $c10))
        (v128.store offset=16 (local.get $so) (local.get $c11))
        (local.set $so (i32.add (local.get $so) (local.get $lds)))
        (v128.store offset=0 (local.get $so) (local.get $c20))
        (v128.store offset=16 (local.get $so) (local.get $c21))
        (local.set $so (i32.add (local.get $so) (local.get $lds)))
        (v128.store offset=0 (local.get $so) (local.get $c30))
        (v128.store offset=16 (local.get $so) (local.get $c31))
        (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br $panels))))

  ;; ---------------------------------------------------------------------------------------
  ;; Running top-k of one user over a stretch of scores S[0 .. n) for items base .. base+n-1,
  ;; visited in increasing id. State: vals/idx hold the m = *cnt best so far, best first.
  ;; An item gets in only when strictly above the k-th best (so ties keep the lower id, which
  ;; came first); -Infinity and NaN never get in. Four scores are tested per SIMD compare
  ;; against the threshold; the slow path runs only for the few that pass. k >= 1.
  (func $insert
    (param $vals i32) (param $idx i32) (param $k i32) (param $m i32) (param $s f32) (param $id i32)
    (result i32)
    (local $j i32) (local $at i32)
    (local.set $j (select (local.get $m) (i32.sub (local.get $k) (i32.const 1))
      (i32.lt_s (local.get $m) (local.get $k))))
    (block $placed
      (loop $shift
        (br_if $placed (i32.eqz (local.get $j)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (br_if $placed
          (i32.eqz (f32.lt (f32.load (i32.sub (i32.add (local.get $vals) (local.get $at)) (i32.const 4))) (local.get $s))))
        (f32.store (i32.add (local.get $vals) (local.get $at))
          (f32.load (i32.sub (i32.add (local.get $vals) (local.get $at)) (i32.const 4))))
        (i32.store (i32.add (local.get $idx) (local.get $at))
          (i32.load (i32.sub (i32.add (local.get $idx) (local.get $at)) (i32.const 4))))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br $shift)))
    (local.set $at (i32.shl (local.get $j) (i32.const 2)))
    (f32.store (i32.add (local.get $vals) (local.get $at)) (local.get $s))
    (i32.store (i32.add (local.get $idx) (local.get $at)) (local.get $id))
    (select (i32.add (local.get $m) (i32.const 1)) (local.get $m)
      (i32.lt_s (local.get $m) (local.get $k))))

  (func (export "topk")
    (param $S i32) (param $n i32) (param $base i32) (param $k i32)
    (param $vals i32) (param $idx i32) (param $cnt i32)
    (local $i i32) (local $j i32) (local $m i32) (local $thr f32) (local $s f32) (local $n4 i32)
    (local.set $m (i32.load (local.get $cnt)))
    (local.set $thr
      (select (f32.const -inf)
        (f32.load (i32.add (local.get $vals) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2))))
        (i32.lt_s (local.get $m) (local.get $k))))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
        (if (v128.any_true
              (f32x4.gt
                (v128.load (i32.add (local.get $S) (i32.shl (local.get $i) (i32.const 2))))
                (f32x4.splat (local.get $thr))))
          (then
            (local.set $j (local.get $i))
            (block $qdone
              (loop $quad
                (br_if $qdone (i32.ge_u (local.get $j) (i32.add (local.get $i) (i32.const 4))))
                (local.set $s (f32.load (i32.add (local.get $S) (i32.shl (local.get $j) (i32.const 2)))))
                (if (f32.gt (local.get $s) (local.get $thr))
                  (then
                    (local.set $m
                      (call $insert (local.get $vals) (local.get $idx) (local.get $k) (local.get $m)
                        (local.get $s) (i32.add (local.get $base) (local.get $j))))
                    (local.set $thr
                      (select (f32.const -inf)
                        (f32.load (i32.add (local.get $vals) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2))))
                        (i32.lt_s (local.get $m) (local.get $k))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $quad)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (f32.load (i32.add (local.get $S) (i32.shl (local.get $i) (i32.const 2)))))
        (if (f32.gt (local.get $s) (local.get $thr))
          (then
            (local.set $m
              (call $insert (local.get $vals) (local.get $idx) (local.get $k) (local.get $m)
                (local.get $s) (i32.add (local.get $base) (local.get $i))))
            (local.set $thr
              (select (f32.const -inf)
                (f32.load (i32.add (local.get $vals) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2))))
                (i32.lt_s (local.get $m) (local.get $k))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (i32.store (local.get $cnt) (local.get $m)))
  ;; ---------------------------------------------------------------------------------------
  ;; Dense Adam over elements [i0, i1) of flat float32 arrays P (parameters), G (gradient),
  ;; M and V (moments), updated in place, each op rounded in float32 in this order:
  ;;   m = b1 m + c1 g                    (c1 = 1 - b1)
  ;;   v = b2 v + (c2 g) g                (c2 = 1 - b2)
  ;;   p = p - (step m) / (sqrt(v) / sqrtC2 + eps)
  ;; with step = lr / (1 - b1^t) and sqrtC2 = sqrt(1 - b2^t) rounded to float32 by the caller.
  ;; Elementwise, so the bits never depend on how the range was split between threads; the JS
  ;; kernel (../kernels/adam.ts) does the same operations with Math.fround. Four elements per
  ;; f32x4 step, then single floats; pointers need no alignment.
  (func (export "adam")
    (param $P i32) (param $G i32) (param $M i32) (param $V i32) (param $i0 i32) (param $i1 i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $step f32) (param $sqrtC2 f32) (param $eps f32)
    (local $o i32) (local $end i32) (local $end4 i32)
    (local $vb1 v128) (local $vc1 v128) (local $vb2 v128) (local $vc2 v128)
    (local $vstep v128) (local $vsc2 v128) (local $veps v128)
    (local $g v128) (local $m v128) (local $v v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $o (i32.shl (local.get $i0) (i32.const 2)))
    (local.set $end (i32.shl (local.get $i1) (i32.const 2)))
    (local.set $end4
      (i32.add (local.get $o)
        (i32.and (i32.sub (local.get $end) (local.get $o)) (i32.const -16))))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vc1 (f32x4.splat (local.get $c1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vc2 (f32x4.splat (local.get $c2)))
    (local.set $vstep (f32x4.splat (local.get $step)))
    (local.set $vsc2 (f32x4.splat (local.get $sqrtC2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (block $done4
      (loop $quads
        (br_if $done4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $g (v128.load (i32.add (local.get $G) (local.get $o))))
        (local.set $m
          (f32x4.add
            (f32x4.mul (local.get $vb1) (v128.load (i32.add (local.get $M) (local.get $o))))
            (f32x4.mul (local.get $vc1) (local.get $g))))
        (local.set $v
          (f32x4.add
            (f32x4.mul (local.get $vb2) (v128.load (i32.add (local.get $V) (local.get $o))))
            (f32x4.mul (f32x4.mul (local.get $vc2) (local.get $g)) (local.get $g))))
        (v128.store (i32.add (local.get $M) (local.get $o)) (local.get $m))
        (v128.store (i32.add (local.get $V) (local.get $o)) (local.get $v))
        (v128.store (i32.add (local.get $P) (local.get $o))
          (f32x4.sub
            (v128.load (i32.add (local.get $P) (local.get $o)))
            (f32x4.div
              (f32x4.mul (local.get $vstep) (local.get $m))
              (f32x4.add
                (f32x4.div (f32x4.sqrt (local.get $v)) (local.get $vsc2))
                (local.get $veps)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $done1
      (loop $singles
        (br_if $done1 (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $G) (local.get $o))))
        (local.set $ms
          (f32.add
            (f32.mul (local.get $b1) (f32.load (i32.add (local.get $M) (local.get $o))))
            (f32.mul (local.get $c1) (local.get $gs))))
        (local.set $vs
          (f32.add
            (f32.mul (local.get $b2) (f32.load (i32.add (local.get $V) (local.get $o))))
            (f32.mul (f32.mul (local.get $c2) (local.get $gs)) (local.get $gs))))
        (f32.store (i32.add (local.get $M) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $V) (local.get $o)) (local.get $vs))
        (f32.store (i32.add (local.get $P) (local.get $o))
          (f32.sub
            (f32.load (i32.add (local.get $P) (local.get $o)))
            (f32.div
              (f32.mul (local.get $step) (local.get $ms))
              (f32.add
                (f32.div (f32.sqrt (local.get $vs)) (local.get $sqrtC2))
                (local.get $eps)))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))
  ;; ---------------------------------------------------------------------------------------
  ;; The input of a bilinear graph layer (NGCF's eq. 7), rows [r0, r1) of dim-column A and B:
  ;;   X[i] = [A[i] + B[i] | A[i] * B[i]]          (X has 2 dim columns)
  ;; or, with $addB = 0, X[i] = [A[i] | A[i] * B[i]].
  ;; Row by row, four floats per f32x4 step, then single floats.
  (func (export "sum_prod")
    (param $A i32) (param $B i32) (param $X i32) (param $dim i32) (param $r0 i32) (param $r1 i32)
    (param $addB i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32)
    (local $ao i32) (local $bo i32) (local $xo i32) (local $po i32)
    (local $a v128) (local $b v128) (local $as f32) (local $bs f32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $ao (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $bo (i32.add (local.get $B) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $xo
          (i32.add (local.get $X) (i32.shl (i32.mul (local.get $i) (local.get $rb)) (i32.const 1))))
        (local.set $po (i32.add (local.get $xo) (local.get $rb)))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $a (v128.load (i32.add (local.get $ao) (local.get $o))))
            (local.set $b (v128.load (i32.add (local.get $bo) (local.get $o))))
            (v128.store (i32.add (local.get $xo) (local.get $o))
              (select (f32x4.add (local.get $a) (local.get $b)) (local.get $a) (local.get $addB)))
            (v128.store (i32.add (local.get $po) (local.get $o)) (f32x4.mul (local.get $a) (local.get $b)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (local.set $as (f32.load (i32.add (local.get $ao) (local.get $o))))
            (local.set $bs (f32.load (i32.add (local.get $bo) (local.get $o))))
            (f32.store (i32.add (local.get $xo) (local.get $o))
              (select (f32.add (local.get $as) (local.get $bs)) (local.get $as) (local.get $addB)))
            (f32.store (i32.add (local.get $po) (local.get $o)) (f32.mul (local.get $as) (local.get $bs)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; The backward of sum_prod into one of its inputs, rows [r0, r1) of DX = [dSum | dProd]:
  ;;   OUT[dst] = dSum[i] + dProd[i] * A[i]          (flags bit 1 clear)
  ;;   OUT[dst] = OUT[dst] + (dSum[i] + dProd[i] * A[i])   (flags bit 1 set: accumulate)
  ;; with dst = ROWS[i] when flags bit 0 is set (distinct rows: threads split i), else i; with
  ;; flags bit 2 the dSum term is left out (dProd[i] * A[i] alone).
  (func (export "sum_prod_back")
    (param $DX i32) (param $A i32) (param $OUT i32) (param $ROWS i32) (param $dim i32)
    (param $r0 i32) (param $r1 i32) (param $flags i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $acc i32)
    (local $so i32) (local $po i32) (local $ao i32) (local $yo i32) (local $sum i32)
    (local $v v128) (local $s f32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $acc (i32.and (local.get $flags) (i32.const 2)))
    (local.set $sum (i32.eqz (i32.and (local.get $flags) (i32.const 4))))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $so
          (i32.add (local.get $DX) (i32.shl (i32.mul (local.get $i) (local.get $rb)) (i32.const 1))))
        (local.set $po (i32.add (local.get $so) (local.get $rb)))
        (local.set $ao (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $yo
          (i32.add (local.get $OUT)
            (i32.mul (local.get $rb)
              (select
                (i32.load (i32.add (local.get $ROWS) (i32.shl (local.get $i) (i32.const 2))))
                (local.get $i)
                (i32.and (local.get $flags) (i32.const 1))))))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $v
              (f32x4.mul
                (v128.load (i32.add (local.get $po) (local.get $o)))
                (v128.load (i32.add (local.get $ao) (local.get $o)))))
            (if (local.get $sum)
              (then
                (local.set $v
                  (f32x4.add (v128.load (i32.add (local.get $so) (local.get $o))) (local.get $v)))))
            (if (local.get $acc)
              (then
                (local.set $v
                  (f32x4.add (v128.load (i32.add (local.get $yo) (local.get $o))) (local.get $v)))))
            (v128.store (i32.add (local.get $yo) (local.get $o)) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (local.set $s
              (f32.mul
                (f32.load (i32.add (local.get $po) (local.get $o)))
                (f32.load (i32.add (local.get $ao) (local.get $o)))))
            (if (local.get $sum)
              (then
                (local.set $s
                  (f32.add (f32.load (i32.add (local.get $so) (local.get $o))) (local.get $s)))))
            (if (local.get $acc)
              (then
                (local.set $s
                  (f32.add (f32.load (i32.add (local.get $yo) (local.get $o))) (local.get $s)))))
            (f32.store (i32.add (local.get $yo) (local.get $o)) (local.get $s))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; LeakyReLU with an optional dropout mask, elements [i0, i1):
  ;;   Y = (X > 0 ? X : slope * X) * M        (M only when hasMask is not 0)
  (func (export "leaky_relu")
    (param $X i32) (param $M i32) (param $Y i32) (param $i0 i32) (param $i1 i32)
    (param $slope f32) (param $hasMask i32)
    (local $o i32) (local $end i32) (local $end4 i32) (local $vs v128) (local $x v128) (local $v v128)
    (local $xs f32) (local $s f32)
    (local.set $o (i32.shl (local.get $i0) (i32.const 2)))
    (local.set $end (i32.shl (local.get $i1) (i32.const 2)))
    (local.set $end4
      (i32.add (local.get $o)
        (i32.and (i32.sub (local.get $end) (local.get $o)) (i32.const -16))))
    (local.set $vs (f32x4.splat (local.get $slope)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $x (v128.load (i32.add (local.get $X) (local.get $o))))
        (local.set $v
          (v128.bitselect (local.get $x) (f32x4.mul (local.get $vs) (local.get $x))
            (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))
        (if (local.get $hasMask)
          (then
            (local.set $v (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $M) (local.get $o)))))))
        (v128.store (i32.add (local.get $Y) (local.get $o)) (local.get $v))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $xs (f32.load (i32.add (local.get $X) (local.get $o))))
        (local.set $s
          (select (local.get $xs) (f32.mul (local.get $slope) (local.get $xs))
            (f32.gt (local.get $xs) (f32.const 0))))
        (if (local.get $hasMask)
          (then
            (local.set $s (f32.mul (local.get $s) (f32.load (i32.add (local.get $M) (local.get $o)))))))
        (f32.store (i32.add (local.get $Y) (local.get $o)) (local.get $s))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; ---------------------------------------------------------------------------------------
  ;; The gradient through leaky_relu, elements [i0, i1), from DY and the input X:
  ;;   G = (DY * M) * (X > 0 ? 1 : slope)      (DY alone when hasMask is 0)
  (func (export "leaky_relu_back")
    (param $DY i32) (param $M i32) (param $X i32) (param $G i32) (param $i0 i32) (param $i1 i32)
    (param $slope f32) (param $hasMask i32)
    (local $o i32) (local $end i32) (local $end4 i32) (local $vs v128) (local $v v128)
    (local $s f32)
    (local.set $o (i32.shl (local.get $i0) (i32.const 2)))
    (local.set $end (i32.shl (local.get $i1) (i32.const 2)))
    (local.set $end4
      (i32.add (local.get $o)
        (i32.and (i32.sub (local.get $end) (local.get $o)) (i32.const -16))))
    (local.set $vs (f32x4.splat (local.get $slope)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $v (v128.load (i32.add (local.get $DY) (local.get $o))))
        (if (local.get $hasMask)
          (then
            (local.set $v (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $M) (local.get $o)))))))
        (v128.store (i32.add (local.get $G) (local.get $o))
          (f32x4.mul (local.get $v)
            (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $vs)
              (f32x4.gt (v128.load (i32.add (local.get $X) (local.get $o))) (v128.const f32x4 0 0 0 0)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $s (f32.load (i32.add (local.get $DY) (local.get $o))))
        (if (local.get $hasMask)
          (then
            (local.set $s (f32.mul (local.get $s) (f32.load (i32.add (local.get $M) (local.get $o)))))))
        (f32.store (i32.add (local.get $G) (local.get $o))
          (f32.mul (local.get $s)
            (select (f32.const 1) (local.get $slope)
              (f32.gt (f32.load (i32.add (local.get $X) (local.get $o))) (f32.const 0)))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; ---------------------------------------------------------------------------------------
  ;; A dropout mask from a counter-based hash, elements [i0, i1) of M:
  ;;   M[k] = bits(k) < below ? scale : 0
  ;; Elements go in blocks of 8: block b hashes the counters 4b .. 4b+3, h = mix(mix(p ^ s0) ^ s1)
  ;; (mix: the lowbias32 integer hash), and its elements 4b+j take the low 16 bits of counter
  ;; j's hash, elements 4b+4+j the high 16 bits (j < 4). Every element depends on its index
  ;; and the seeds alone, so threads may split the range anywhere and get the same bits.
  (func $mix (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x7feb352d)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x846ca68b)))
    (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))

  (func $mix4 (param $x v128) (result v128)
    (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32x4.mul (local.get $x) (i32x4.splat (i32.const 0x7feb352d))))
    (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32x4.mul (local.get $x) (i32x4.splat (i32.const 0x846ca68b))))
    (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))

  ;; the mask value of element k alone
  (func $mask1 (param $k i32) (param $s0 i32) (param $s1 i32) (param $below i32) (param $scale f32)
    (result f32)
    (local $h i32)
    (local.set $h
      (call $mix
        (i32.xor
          (call $mix
            (i32.xor
              (i32.or
                (i32.shl (i32.shr_u (local.get $k) (i32.const 3)) (i32.const 2))
                (i32.and (local.get $k) (i32.const 3)))
              (local.get $s0)))
          (local.get $s1))))
    (select (local.get $scale) (f32.const 0)
      (i32.lt_u
        (select
          (i32.shr_u (local.get $h) (i32.const 16))
          (i32.and (local.get $h) (i32.const 0xffff))
          (i32.and (local.get $k) (i32.const 4)))
        (local.get $below))))

  (func $dropout_mask (export "dropout_mask")
    (param $M i32) (param $i0 i32) (param $i1 i32) (param $s0 i32) (param $s1 i32)
    (param $below i32) (param $scale f32)
    (local $k i32) (local $h v128) (local $vb v128) (local $vs v128) (local $p v128)
    (local.set $k (local.get $i0))
    ;; single elements up to a block boundary
    (block $h1
      (loop $head
        (br_if $h1
          (i32.or (i32.ge_u (local.get $k) (local.get $i1))
            (i32.eqz (i32.and (local.get $k) (i32.const 7)))))
        (f32.store (i32.add (local.get $M) (i32.shl (local.get $k) (i32.const 2)))
          (call $mask1 (local.get $k) (local.get $s0) (local.get $s1) (local.get $below)
            (local.get $scale)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $head)))
    (local.set $vb (i32x4.splat (local.get $below)))
    (local.set $vs (f32x4.splat (local.get $scale)))
    (block $d8
      (loop $blocks
        (br_if $d8 (i32.gt_u (i32.add (local.get $k) (i32.const 8)) (local.get $i1)))
        ;; counters 4b .. 4b+3 with b = k / 8
        (local.set $p
          (i32x4.add (i32x4.splat (i32.shr_u (local.get $k) (i32.const 1)))
            (v128.const i32x4 0 1 2 3)))
        (local.set $h
          (call $mix4
            (v128.xor
              (call $mix4 (v128.xor (local.get $p) (i32x4.splat (local.get $s0))))
              (i32x4.splat (local.get $s1)))))
        (v128.store (i32.add (local.get $M) (i32.shl (local.get $k) (i32.const 2)))
          (v128.and (local.get $vs)
            (i32x4.lt_u (v128.and (local.get $h) (i32x4.splat (i32.const 0xffff))) (local.get $vb))))
        (v128.store (i32.add (local.get $M) (i32.shl (i32.add (local.get $k) (i32.const 4)) (i32.const 2)))
          (v128.and (local.get $vs)
            (i32x4.lt_u (i32x4.shr_u (local.get $h) (i32.const 16)) (local.get $vb))))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br $blocks)))
    (block $t1
      (loop $tail
        (br_if $t1 (i32.ge_u (local.get $k) (local.get $i1)))
        (f32.store (i32.add (local.get $M) (i32.shl (local.get $k) (i32.const 2)))
          (call $mask1 (local.get $k) (local.get $s0) (local.get $s1) (local.get $below)
            (local.get $scale)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tail))))


  ;; ---------------------------------------------------------------------------------------
  ;; Rows gathered into a strided array, rows [k0, k1) of the list:
  ;;   Y[k * ldy + c] = X[ROWS[k] * dim + c]      (c < dim; ldy in floats; Y may start mid-row)
  (func (export "gather_rows")
    (param $X i32) (param $ROWS i32) (param $Y i32) (param $dim i32) (param $ldy i32)
    (param $k0 i32) (param $k1 i32)
    (local $k i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $xo i32) (local $yo i32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $k (local.get $k0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $k) (local.get $k1)))
        (local.set $xo
          (i32.add (local.get $X)
            (i32.mul (local.get $rb)
              (i32.load (i32.add (local.get $ROWS) (i32.shl (local.get $k) (i32.const 2)))))))
        (local.set $yo
          (i32.add (local.get $Y) (i32.shl (i32.mul (local.get $k) (local.get $ldy)) (i32.const 2))))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (v128.store (i32.add (local.get $yo) (local.get $o))
              (v128.load (i32.add (local.get $xo) (local.get $o))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (f32.store (i32.add (local.get $yo) (local.get $o))
              (f32.load (i32.add (local.get $xo) (local.get $o))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $rows))))

  ;; sum over c < dim of (A[c] * k) * B[c], in a fixed order: four lane sums over the quads
  ;; (lane j takes c = 4m + j), combined as (l0 + l1) + (l2 + l3), then the remaining c in order.
  ;; With k = 1 (exact) it is the plain dot product. layerOps.ts's rowDot does the same.
  (func $rowdot (param $A i32) (param $k f32) (param $B i32) (param $rb i32) (result f32)
    (local $o i32) (local $end4 i32) (local $acc v128) (local $s f32) (local $vk v128)
    (local.set $vk (f32x4.splat (local.get $k)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $o (i32.const 0))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $acc
          (f32x4.add (local.get $acc)
            (f32x4.mul
              (f32x4.mul (v128.load (i32.add (local.get $A) (local.get $o))) (local.get $vk))
              (v128.load (i32.add (local.get $B) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (local.set $s
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
        (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
        (local.set $s
          (f32.add (local.get $s)
            (f32.mul
              (f32.mul (f32.load (i32.add (local.get $A) (local.get $o))) (local.get $k))
              (f32.load (i32.add (local.get $B) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles)))
    (local.get $s))

  ;; ---------------------------------------------------------------------------------------
  ;; Rows [r0, r1) of X scaled to unit length (tf.math.l2_normalize), into a strided array:
  ;;   Y[i * ldy + c] = X[i * dim + c] * (1 / sqrt(max(|X[i]|^2, eps)))
  (func $normalize_rows (export "normalize_rows")
    (param $X i32) (param $Y i32) (param $dim i32) (param $ldy i32) (param $r0 i32)
    (param $r1 i32) (param $eps f32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $xo i32) (local $yo i32)
    (local $scale f32) (local $vs v128)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $yo
          (i32.add (local.get $Y) (i32.shl (i32.mul (local.get $i) (local.get $ldy)) (i32.const 2))))
        (local.set $scale
          (f32.div (f32.const 1)
            (f32.sqrt
              (f32.max (call $rowdot (local.get $xo) (f32.const 1) (local.get $xo) (local.get $rb)) (local.get $eps)))))
        (local.set $vs (f32x4.splat (local.get $scale)))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (v128.store (i32.add (local.get $yo) (local.get $o))
              (f32x4.mul (v128.load (i32.add (local.get $xo) (local.get $o))) (local.get $vs)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (f32.store (i32.add (local.get $yo) (local.get $o))
              (f32.mul (f32.load (i32.add (local.get $xo) (local.get $o))) (local.get $scale)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; The gradient of normalize_rows, rows [r0, r1), from X and DY (strided, ldy floats):
  ;;   with q = |X[i]|^2 and s = 1 / sqrt(max(q, eps)):
  ;;   t = q >= eps ? sum over c of (X[i,c] * s) * DY[i,c] : 0   (in $rowdot's order)
  ;;   G[c] = (DY[i,c] - (X[i,c] * s) * t) * s
  ;; written to OUT[dst] or, flags bit 1, added there; dst = ROWS[i] when flags bit 0 is set
  ;; (distinct rows), else i.
  (func $normalize_rows_back (export "normalize_rows_back")
    (param $X i32) (param $DY i32) (param $ldy i32) (param $OUT i32) (param $ROWS i32)
    (param $dim i32) (param $r0 i32) (param $r1 i32) (param $eps f32) (param $flags i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $acc i32)
    (local $xo i32) (local $dyo i32) (local $yo i32)
    (local $q f32) (local $s f32) (local $t f32) (local $g f32)
    (local $vs v128) (local $vt v128) (local $v v128)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $acc (i32.and (local.get $flags) (i32.const 2)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $dyo
          (i32.add (local.get $DY) (i32.shl (i32.mul (local.get $i) (local.get $ldy)) (i32.const 2))))
        (local.set $yo
          (i32.add (local.get $OUT)
            (i32.mul (local.get $rb)
              (select
                (i32.load (i32.add (local.get $ROWS) (i32.shl (local.get $i) (i32.const 2))))
                (local.get $i)
                (i32.and (local.get $flags) (i32.const 1))))))
        (local.set $q (call $rowdot (local.get $xo) (f32.const 1) (local.get $xo) (local.get $rb)))
        (local.set $s (f32.div (f32.const 1) (f32.sqrt (f32.max (local.get $q) (local.get $eps)))))
        (local.set $vs (f32x4.splat (local.get $s)))
        ;; t = sum (x s) dy
        (local.set $t (f32.const 0))
        (if (f32.ge (local.get $q) (local.get $eps))
          (then
            (local.set $t
              (call $rowdot (local.get $xo) (local.get $s) (local.get $dyo) (local.get $rb)))))
        (local.set $vt (f32x4.splat (local.get $t)))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $v
              (f32x4.mul
                (f32x4.sub
                  (v128.load (i32.add (local.get $dyo) (local.get $o)))
                  (f32x4.mul
                    (f32x4.mul (v128.load (i32.add (local.get $xo) (local.get $o))) (local.get $vs))
                    (local.get $vt)))
                (local.get $vs)))
            (if (local.get $acc)
              (then
                (local.set $v
                  (f32x4.add (v128.load (i32.add (local.get $yo) (local.get $o))) (local.get $v)))))
            (v128.store (i32.add (local.get $yo) (local.get $o)) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (local.set $g
              (f32.mul
                (f32.sub
                  (f32.load (i32.add (local.get $dyo) (local.get $o)))
                  (f32.mul
                    (f32.mul (f32.load (i32.add (local.get $xo) (local.get $o))) (local.get $s))
                    (local.get $t)))
                (local.get $s)))
            (if (local.get $acc)
              (then
                (local.set $g
                  (f32.add (f32.load (i32.add (local.get $yo) (local.get $o))) (local.get $g)))))
            (f32.store (i32.add (local.get $yo) (local.get $o)) (local.get $g))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; The squash of capsule networks (VRKG4Rec's NORM), rows [r0, r1) of X into Y:
  ;;   n = |X[i]|^2 (in $rowdot's order), s = n > 1e-30 ? sqrt(n) / (1 + n) : 0, Y[i] = X[i] s
  (func $squash (export "squash")
    (param $X i32) (param $Y i32) (param $dim i32) (param $r0 i32) (param $r1 i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $xo i32) (local $yo i32)
    (local $n f32) (local $s f32) (local $vs v128)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $yo (i32.add (local.get $Y) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $n (call $rowdot (local.get $xo) (f32.const 1) (local.get $xo) (local.get $rb)))
        (local.set $s (f32.const 0))
        (if (f32.gt (local.get $n) (f32.const 1e-30))
          (then
            (local.set $s
              (f32.div (f32.sqrt (local.get $n)) (f32.add (f32.const 1) (local.get $n))))))
        (local.set $vs (f32x4.splat (local.get $s)))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (v128.store (i32.add (local.get $yo) (local.get $o))
              (f32x4.mul (v128.load (i32.add (local.get $xo) (local.get $o))) (local.get $vs)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (f32.store (i32.add (local.get $yo) (local.get $o))
              (f32.mul (f32.load (i32.add (local.get $xo) (local.get $o))) (local.get $s)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; The gradient of squash, rows [r0, r1), from X and DY: with n = |X[i]|^2 and
  ;; xdy = X[i] . DY[i] (both in $rowdot's order), when n > 1e-30:
  ;;   a = 1 + n, s = sqrt(n) / a, k = (xdy (1 - n)) / ((sqrt(n) a) a)   (else s = k = 0)
  ;;   G[c] = s DY[i,c] + k X[i,c]
  ;; written to OUT[i] or, flags bit 1, added there.
  (func $squash_back (export "squash_back")
    (param $X i32) (param $DY i32) (param $OUT i32) (param $dim i32) (param $r0 i32)
    (param $r1 i32) (param $flags i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $acc i32)
    (local $xo i32) (local $dyo i32) (local $yo i32)
    (local $n f32) (local $xdy f32) (local $norm f32) (local $a f32) (local $s f32) (local $k f32)
    (local $g f32) (local $vs v128) (local $vk v128) (local $v v128)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $acc (i32.and (local.get $flags) (i32.const 2)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $dyo (i32.add (local.get $DY) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $yo (i32.add (local.get $OUT) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $n (call $rowdot (local.get $xo) (f32.const 1) (local.get $xo) (local.get $rb)))
        (local.set $xdy (call $rowdot (local.get $xo) (f32.const 1) (local.get $dyo) (local.get $rb)))
        (local.set $s (f32.const 0))
        (local.set $k (f32.const 0))
        (if (f32.gt (local.get $n) (f32.const 1e-30))
          (then
            (local.set $norm (f32.sqrt (local.get $n)))
            (local.set $a (f32.add (f32.const 1) (local.get $n)))
            (local.set $s (f32.div (local.get $norm) (local.get $a)))
            (local.set $k
              (f32.div
                (f32.mul (local.get $xdy) (f32.sub (f32.const 1) (local.get $n)))
                (f32.mul (f32.mul (local.get $norm) (local.get $a)) (local.get $a))))))
        (local.set $vs (f32x4.splat (local.get $s)))
        (local.set $vk (f32x4.splat (local.get $k)))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $v
              (f32x4.add
                (f32x4.mul (v128.load (i32.add (local.get $dyo) (local.get $o))) (local.get $vs))
                (f32x4.mul (v128.load (i32.add (local.get $xo) (local.get $o))) (local.get $vk))))
            (if (local.get $acc)
              (then
                (local.set $v
                  (f32x4.add (v128.load (i32.add (local.get $yo) (local.get $o))) (local.get $v)))))
            (v128.store (i32.add (local.get $yo) (local.get $o)) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (local.set $g
              (f32.add
                (f32.mul (f32.load (i32.add (local.get $dyo) (local.get $o))) (local.get $s))
                (f32.mul (f32.load (i32.add (local.get $xo) (local.get $o))) (local.get $k))))
            (if (local.get $acc)
              (then
                (local.set $g
                  (f32.add (f32.load (i32.add (local.get $yo) (local.get $o))) (local.get $g)))))
            (f32.store (i32.add (local.get $yo) (local.get $o)) (local.get $g))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; Dense products. Two rows of C = A B (+ bias), columns [0, W): rows m and m+1 of A start at
  ;; $a0 and $a1 (bytes), their k-th elements are sak floats apart; B's rows are N floats apart
  ;; (B, C and bias point at the first column); C's two rows start at $c0 and $c1 (with $two =
  ;; 0, only row $c0 is written). Every C[m, n] is
  ;; (C[m, n] itself with $acc, else bias[n] or 0) + A[m, 0] B[0, n] + A[m, 1] B[1, n] + ... in
  ;; this order, one float32 rounding per multiply and per add, whatever the column's panel: 16
  ;; columns at a time, then 4, then one.
  (func $gemm2
    (param $a0 i32) (param $a1 i32) (param $sak i32) (param $B i32) (param $K i32) (param $N i32)
    (param $W i32) (param $c0 i32) (param $c1 i32) (param $bias i32) (param $hasBias i32)
    (param $two i32) (param $acc i32)
    (local $n i32) (local $nb i32) (local $wb i32) (local $k i32) (local $kEnd i32) (local $ko i32)
    (local $bo i32) (local $ks i32) (local $n16 i32) (local $n4 i32)
    (local $p00 v128) (local $p01 v128) (local $p02 v128) (local $p03 v128)
    (local $p10 v128) (local $p11 v128) (local $p12 v128) (local $p13 v128)
    (local $x0 v128) (local $x1 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $s0 f32) (local $s1 f32) (local $bs f32)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $wb (i32.shl (local.get $W) (i32.const 2)))
    (local.set $ks (i32.shl (local.get $sak) (i32.const 2)))
    (local.set $kEnd (i32.mul (local.get $K) (local.get $ks)))
    (local.set $n16 (i32.and (local.get $wb) (i32.const -64)))
    (local.set $n4 (i32.and (local.get $wb) (i32.const -16)))
    (local.set $n (i32.const 0))
    ;; panels of 16 columns: 8 accumulators
    (block $d16
      (loop $p16
        (br_if $d16 (i32.ge_u (local.get $n) (local.get $n16)))
        (if (local.get $hasBias)
          (then
            (local.set $p00 (v128.load (i32.add (local.get $bias) (local.get $n))))
            (local.set $p01 (v128.load offset=16 (i32.add (local.get $bias) (local.get $n))))
            (local.set $p02 (v128.load offset=32 (i32.add (local.get $bias) (local.get $n))))
            (local.set $p03 (v128.load offset=48 (i32.add (local.get $bias) (local.get $n)))))
          (else
            (local.set $p00 (v128.const f32x4 0 0 0 0))
            (local.set $p01 (v128.const f32x4 0 0 0 0))
            (local.set $p02 (v128.const f32x4 0 0 0 0))
            (local.set $p03 (v128.const f32x4 0 0 0 0))))
        (local.set $p10 (local.get $p00))
        (local.set $p11 (local.get $p01))
        (local.set $p12 (local.get $p02))
        (local.set $p13 (local.get $p03))
        (if (local.get $acc)
          (then
            (local.set $p00 (v128.load (i32.add (local.get $c0) (local.get $n))))
            (local.set $p01 (v128.load offset=16 (i32.add (local.get $c0) (local.get $n))))
            (local.set $p02 (v128.load offset=32 (i32.add (local.get $c0) (local.get $n))))
            (local.set $p03 (v128.load offset=48 (i32.add (local.get $c0) (local.get $n))))
            (local.set $p10 (v128.load (i32.add (local.get $c1) (local.get $n))))
            (local.set $p11 (v128.load offset=16 (i32.add (local.get $c1) (local.get $n))))
            (local.set $p12 (v128.load offset=32 (i32.add (local.get $c1) (local.get $n))))
            (local.set $p13 (v128.load offset=48 (i32.add (local.get $c1) (local.get $n))))))
        (local.set $bo (i32.add (local.get $B) (local.get $n)))
        (local.set $ko (i32.const 0))
        (block $kd
          (loop $kl
            (br_if $kd (i32.ge_u (local.get $ko) (local.get $kEnd)))
            (local.set $x0 (v128.load32_splat (i32.add (local.get $a0) (local.get $ko))))
            (local.set $x1 (v128.load32_splat (i32.add (local.get $a1) (local.get $ko))))
            (local.set $b0 (v128.load (local.get $bo)))
            (local.set $b1 (v128.load offset=16 (local.get $bo)))
            (local.set $b2 (v128.load offset=32 (local.get $bo)))
            (local.set $b3 (v128.load offset=48 (local.get $bo)))
            (local.set $p00 (f32x4.add (local.get $p00) (f32x4.mul (local.get $x0) (local.get $b0))))
            (local.set $p01 (f32x4.add (local.get $p01) (f32x4.mul (local.get $x0) (local.get $b1))))
            (local.set $p02 (f32x4.add (local.get $p02) (f32x4.mul (local.get $x0) (local.get $b2))))
            (local.set $p03 (f32x4.add (local.get $p03) (f32x4.mul (local.get $x0) (local.get $b3))))
            (local.set $p10 (f32x4.add (local.get $p10) (f32x4.mul (local.get $x1) (local.get $b0))))
            (local.set $p11 (f32x4.add (local.get $p11) (f32x4.mul (local.get $x1) (local.get $b1))))
            (local.set $p12 (f32x4.add (local.get $p12) (f32x4.mul (local.get $x1) (local.get $b2))))
            (local.set $p13 (f32x4.add (local.get $p13) (f32x4.mul (local.get $x1) (local.get $b3))))
            (local.set $bo (i32.add (local.get $bo) (local.get $nb)))
            (local.set $ko (i32.add (local.get $ko) (local.get $ks)))
            (br $kl)))
        (v128.store (i32.add (local.get $c0) (local.get $n)) (local.get $p00))
        (v128.store offset=16 (i32.add (local.get $c0) (local.get $n)) (local.get $p01))
        (v128.store offset=32 (i32.add (local.get $c0) (local.get $n)) (local.get $p02))
        (v128.store offset=48 (i32.add (local.get $c0) (local.get $n)) (local.get $p03))
        (if (local.get $two)
          (then
            (v128.store (i32.add (local.get $c1) (local.get $n)) (local.get $p10))
            (v128.store offset=16 (i32.add (local.get $c1) (local.get $n)) (local.get $p11))
            (v128.store offset=32 (i32.add (local.get $c1) (local.get $n)) (local.get $p12))
            (v128.store offset=48 (i32.add (local.get $c1) (local.get $n)) (local.get $p13))))
        (local.set $n (i32.add (local.get $n) (i32.const 64)))
        (br $p16)))
    ;; panels of 4 columns
    (block $d4
      (loop $p4
        (br_if $d4 (i32.ge_u (local.get $n) (local.get $n4)))
        (local.set $p00
          (select (v128.load (i32.add (local.get $bias) (local.get $n))) (v128.const f32x4 0 0 0 0)
            (local.get $hasBias)))
        (local.set $p10 (local.get $p00))
        (if (local.get $acc)
          (then
            (local.set $p00 (v128.load (i32.add (local.get $c0) (local.get $n))))
            (local.set $p10 (v128.load (i32.add (local.get $c1) (local.get $n))))))
        (local.set $bo (i32.add (local.get $B) (local.get $n)))
        (local.set $ko (i32.const 0))
        (block $kd4
          (loop $kl4
            (br_if $kd4 (i32.ge_u (local.get $ko) (local.get $kEnd)))
            (local.set $b0 (v128.load (local.get $bo)))
            (local.set $p00
              (f32x4.add (local.get $p00)
                (f32x4.mul (v128.load32_splat (i32.add (local.get $a0) (local.get $ko))) (local.get $b0))))
            (local.set $p10
              (f32x4.add (local.get $p10)
                (f32x4.mul (v128.load32_splat (i32.add (local.get $a1) (local.get $ko))) (local.get $b0))))
            (local.set $bo (i32.add (local.get $bo) (local.get $nb)))
            (local.set $ko (i32.add (local.get $ko) (local.get $ks)))
            (br $kl4)))
        (v128.store (i32.add (local.get $c0) (local.get $n)) (local.get $p00))
        (if (local.get $two) (then (v128.store (i32.add (local.get $c1) (local.get $n)) (local.get $p10))))
        (local.set $n (i32.add (local.get $n) (i32.const 16)))
        (br $p4)))
    ;; single columns
    (block $d1
      (loop $p1
        (br_if $d1 (i32.ge_u (local.get $n) (local.get $wb)))
        (local.set $s0 (select (f32.load (i32.add (local.get $bias) (local.get $n))) (f32.const 0) (local.get $hasBias)))
        (local.set $s1 (local.get $s0))
        (if (local.get $acc)
          (then
            (local.set $s0 (f32.load (i32.add (local.get $c0) (local.get $n))))
            (local.set $s1 (f32.load (i32.add (local.get $c1) (local.get $n))))))
        (local.set $bo (i32.add (local.get $B) (local.get $n)))
        (local.set $ko (i32.const 0))
        (block $kd1
          (loop $kl1
            (br_if $kd1 (i32.ge_u (local.get $ko) (local.get $kEnd)))
            (local.set $bs (f32.load (local.get $bo)))
            (local.set $s0 (f32.add (local.get $s0) (f32.mul (f32.load (i32.add (local.get $a0) (local.get $ko))) (local.get $bs))))
            (local.set $s1 (f32.add (local.get $s1) (f32.mul (f32.load (i32.add (local.get $a1) (local.get $ko))) (local.get $bs))))
            (local.set $bo (i32.add (local.get $bo) (local.get $nb)))
            (local.set $ko (i32.add (local.get $ko) (local.get $ks)))
            (br $kl1)))
        (f32.store (i32.add (local.get $c0) (local.get $n)) (local.get $s0))
        (if (local.get $two) (then (f32.store (i32.add (local.get $c1) (local.get $n)) (local.get $s1))))
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $p1))))

  ;; rows [m0, m1) of C = A B (+ bias, or + C with $acc): A(m, k) at A + 4 (m sam + k sak);
  ;; B [K x N]; C(m, n) at C + 4 (m ldc + n). Columns go in blocks of 64, every row pair
  ;; through a block before the next, so the block's panels of B are read from the cache
  ;; (GRU4Rec's output layer: B is 1,682 x 129); each C[m, n] is summed as before.
  (func $gemm_rows
    (param $A i32) (param $sam i32) (param $sak i32) (param $B i32) (param $C i32) (param $K i32)
    (param $N i32) (param $m0 i32) (param $m1 i32) (param $bias i32) (param $hasBias i32)
    (param $acc i32) (param $ldc i32)
    (local $m i32) (local $a0 i32) (local $c0 i32) (local $nb i32) (local $ms i32)
    (local $j i32) (local $w i32)
    ;; the byte stride of C's rows (B's rows are N floats apart inside $gemm2)
    (local.set $nb (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $ms (i32.shl (local.get $sam) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $j) (local.get $N)))
        (local.set $w
          (select (i32.const 64) (i32.sub (local.get $N) (local.get $j))
            (i32.le_u (i32.add (local.get $j) (i32.const 64)) (local.get $N))))
        (local.set $m (local.get $m0))
        (block $done
          (loop $rows
            (br_if $done (i32.ge_u (local.get $m) (local.get $m1)))
            (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $ms))))
            (local.set $c0
              (i32.add (i32.add (local.get $C) (i32.mul (local.get $m) (local.get $nb)))
                (i32.shl (local.get $j) (i32.const 2))))
            (if (i32.lt_u (i32.add (local.get $m) (i32.const 1)) (local.get $m1))
              (then
                (call $gemm2 (local.get $a0) (i32.add (local.get $a0) (local.get $ms)) (local.get $sak)
                  (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 2))) (local.get $K)
                  (local.get $N) (local.get $w) (local.get $c0) (i32.add (local.get $c0) (local.get $nb))
                  (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))
                  (local.get $hasBias) (i32.const 1) (local.get $acc)))
              (else
                ;; the last row alone: row m twice, stored once
                (call $gemm2 (local.get $a0) (local.get $a0) (local.get $sak)
                  (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 2))) (local.get $K)
                  (local.get $N) (local.get $w) (local.get $c0) (local.get $c0)
                  (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))
                  (local.get $hasBias) (i32.const 0) (local.get $acc))))
            (local.set $m (i32.add (local.get $m) (i32.const 2)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br $blocks))))

  ;; C = A B (+ bias) for rows [m0, m1): A [M x K] in rows of $lda floats, B [K x N], C [M x N]
  ;; in rows of $ldc floats
  (func (export "gemm")
    (param $A i32) (param $B i32) (param $C i32) (param $K i32) (param $N i32)
    (param $m0 i32) (param $m1 i32) (param $bias i32) (param $hasBias i32) (param $lda i32)
    (param $ldc i32)
    (call $gemm_rows (local.get $A) (local.get $lda) (i32.const 1) (local.get $B) (local.get $C)
      (local.get $K) (local.get $N) (local.get $m0) (local.get $m1) (local.get $bias) (local.get $hasBias)
      (i32.const 0) (local.get $ldc)))

  ;; A^T B over chunks of rows: A [R x M] in rows of $lda floats, B [R x N]; chunk c (rows [c chunk, (c+1) chunk) of
  ;; both, fewer in the last) gives P[c] = A_c^T B_c ([M x N], row-major at P + c M N 4), for
  ;; chunks [c0, c1). The caller sums the P[c] in chunk order. Within a chunk the rows go 64 at
  ;; a time (their A and B rows stay in the first-level cache), P[c] carrying the sums over: the
  ;; same order of additions as one pass.
  (func (export "gemm_tn_chunks")
    (param $A i32) (param $B i32) (param $P i32) (param $M i32) (param $N i32) (param $R i32)
    (param $chunk i32) (param $c0 i32) (param $c1 i32) (param $lda i32)
    (local $c i32) (local $r0 i32) (local $end i32) (local $s i32) (local $rows i32) (local $pc i32)
    (local.set $c (local.get $c0))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $c) (local.get $c1)))
        (local.set $r0 (i32.mul (local.get $c) (local.get $chunk)))
        (local.set $end
          (select (i32.add (local.get $r0) (local.get $chunk)) (local.get $R)
            (i32.le_u (i32.add (local.get $r0) (local.get $chunk)) (local.get $R))))
        (local.set $pc
          (i32.add (local.get $P) (i32.shl (i32.mul (i32.mul (local.get $c) (local.get $M)) (local.get $N)) (i32.const 2))))
        (local.set $s (local.get $r0))
        (block $sd
          (loop $subs
            (br_if $sd (i32.ge_u (local.get $s) (local.get $end)))
            (local.set $rows
              (select (i32.const 64) (i32.sub (local.get $end) (local.get $s))
                (i32.le_u (i32.add (local.get $s) (i32.const 64)) (local.get $end))))
            (call $gemm_rows
              (i32.add (local.get $A) (i32.shl (i32.mul (local.get $s) (local.get $lda)) (i32.const 2)))
              (i32.const 1) (local.get $lda)
              (i32.add (local.get $B) (i32.shl (i32.mul (local.get $s) (local.get $N)) (i32.const 2)))
              (local.get $pc) (local.get $rows) (local.get $N) (i32.const 0) (local.get $M)
              (i32.const 0) (i32.const 0) (i32.ne (local.get $s) (local.get $r0)) (local.get $N))
            (local.set $s (i32.add (local.get $s) (i32.const 64)))
            (br $subs)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $chunks))))

  ;; ---------------------------------------------------------------------------------------
  ;; Message passing over a fixed graph (DGL's update_all with edge weights, u_dot_v, u_add_v,
  ;; edge_softmax); the JS twins are in ../kernels/message.ts. A CSR over output rows: row r's
  ;; entries p in [rowPtr[r], rowPtr[r+1]) name the other end other[p] of edge edge(p) (p, or
  ;; edgeAt[p] with flags bit 0: a transposed order). Features [n x C] hold H heads side by side
  ;; (head of column j: j / d, d = C / H); edge values are [nnz x H].

  ;; OUT[r, j] (+)= sum over row r's entries p of W[edge(p), head(j)] * X[other[p], j] for rows
  ;; [r0, r1); flags bit 1 adds into OUT (the sum starts from OUT's value). Passes of 16 and 4
  ;; columns in f32x4 lanes when d is a multiple of 4 (a quad then lies in one head), single
  ;; columns otherwise and for the rest.
  (func (export "edge_spmm")
    (param $rowPtr i32) (param $other i32) (param $edgeAt i32) (param $W i32) (param $H i32)
    (param $X i32) (param $C i32) (param $OUT i32) (param $r0 i32) (param $r1 i32)
    (param $flags i32)
    (local $r i32) (local $d i32) (local $rb i32) (local $hb i32) (local $lim i32)
    (local $byEdge i32) (local $acc i32) (local $ps i32) (local $pe i32) (local $p i32)
    (local $c i32) (local $yo i32) (local $wk i32) (local $xo i32) (local $pp i32)
    (local $h0 i32) (local $h1 i32) (local $h2 i32) (local $h3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    (local.set $d (i32.div_u (local.get $C) (local.get $H)))
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $lim
      (select (local.get $rb) (i32.const 0)
        (i32.eqz (i32.and (local.get $d) (i32.const 3)))))
    (local.set $byEdge (i32.and (local.get $flags) (i32.const 1)))
    (local.set $acc (i32.and (local.get $flags) (i32.const 2)))
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $ps (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $yo (i32.add (local.get $OUT) (i32.mul (local.get $r) (local.get $rb))))
        ;; a row without entries adds nothing: left as it is when accumulating
        (local.set $c
          (select (local.get $rb) (i32.const 0)
            (i32.and (local.get $acc) (i32.eq (local.get $ps) (local.get $pe)))))
        ;; passes of 16 floats: four quads, each with its head's weight
        (block $done16
          (loop $pass16
            (br_if $done16 (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $lim)))
            (local.set $h0 (i32.shl (i32.div_u (i32.shr_u (local.get $c) (i32.const 2)) (local.get $d)) (i32.const 2)))
            (local.set $h1 (i32.shl (i32.div_u (i32.add (i32.shr_u (local.get $c) (i32.const 2)) (i32.const 4)) (local.get $d)) (i32.const 2)))
            (local.set $h2 (i32.shl (i32.div_u (i32.add (i32.shr_u (local.get $c) (i32.const 2)) (i32.const 8)) (local.get $d)) (i32.const 2)))
            (local.set $h3 (i32.shl (i32.div_u (i32.add (i32.shr_u (local.get $c) (i32.const 2)) (i32.const 12)) (local.get $d)) (i32.const 2)))
            (local.set $xo (i32.add (local.get $yo) (local.get $c)))
            (if (local.get $acc)
              (then
                (local.set $a0 (v128.load offset=0 (local.get $xo)))
                (local.set $a1 (v128.load offset=16 (local.get $xo)))
                (local.set $a2 (v128.load offset=32 (local.get $xo)))
                (local.set $a3 (v128.load offset=48 (local.get $xo))))
              (else
                (local.set $a0 (v128.const i32x4 0 0 0 0))
                (local.set $a1 (v128.const i32x4 0 0 0 0))
                (local.set $a2 (v128.const i32x4 0 0 0 0))
                (local.set $a3 (v128.const i32x4 0 0 0 0))))
            (local.set $p (local.get $ps))
            (block $end
              (loop $entries
                (br_if $end (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $pp (i32.shl (local.get $p) (i32.const 2)))
                (local.set $wk
                  (i32.add (local.get $W)
                    (i32.mul (local.get $hb)
                      (select (i32.load (i32.add (local.get $edgeAt) (local.get $pp))) (local.get $p)
                        (local.get $byEdge)))))
                (local.set $xo
                  (i32.add (i32.add (local.get $X) (local.get $c))
                    (i32.mul (i32.load (i32.add (local.get $other) (local.get $pp))) (local.get $rb))))
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $wk) (local.get $h0))) (v128.load offset=0 (local.get $xo)))))
                (local.set $a1 (f32x4.add (local.get $a1)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $wk) (local.get $h1))) (v128.load offset=16 (local.get $xo)))))
                (local.set $a2 (f32x4.add (local.get $a2)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $wk) (local.get $h2))) (v128.load offset=32 (local.get $xo)))))
                (local.set $a3 (f32x4.add (local.get $a3)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $wk) (local.get $h3))) (v128.load offset=48 (local.get $xo)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $entries)))
            (local.set $xo (i32.add (local.get $yo) (local.get $c)))
            (v128.store offset=0 (local.get $xo) (local.get $a0))
            (v128.store offset=16 (local.get $xo) (local.get $a1))
            (v128.store offset=32 (local.get $xo) (local.get $a2))
            (v128.store offset=48 (local.get $xo) (local.get $a3))
            (local.set $c (i32.add (local.get $c) (i32.const 64)))
            (br $pass16)))
        ;; passes of 4 floats
        (block $done4
          (loop $pass4
            (br_if $done4 (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $lim)))
            (local.set $h0 (i32.shl (i32.div_u (i32.shr_u (local.get $c) (i32.const 2)) (local.get $d)) (i32.const 2)))
            (local.set $a0
              (select (v128.load (i32.add (local.get $yo) (local.get $c))) (v128.const i32x4 0 0 0 0)
                (local.get $acc)))
            (local.set $p (local.get $ps))
            (block $end
              (loop $entries
                (br_if $end (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $pp (i32.shl (local.get $p) (i32.const 2)))
                (local.set $wk
                  (i32.add (local.get $W)
                    (i32.mul (local.get $hb)
                      (select (i32.load (i32.add (local.get $edgeAt) (local.get $pp))) (local.get $p)
                        (local.get $byEdge)))))
                (local.set $xo
                  (i32.add (i32.add (local.get $X) (local.get $c))
                    (i32.mul (i32.load (i32.add (local.get $other) (local.get $pp))) (local.get $rb))))
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $wk) (local.get $h0))) (v128.load (local.get $xo)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $entries)))
            (v128.store (i32.add (local.get $yo) (local.get $c)) (local.get $a0))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $pass4)))
        ;; single floats
        (block $done1
          (loop $pass1
            (br_if $done1 (i32.ge_u (local.get $c) (local.get $rb)))
            (local.set $h0 (i32.shl (i32.div_u (i32.shr_u (local.get $c) (i32.const 2)) (local.get $d)) (i32.const 2)))
            (local.set $s
              (select (f32.load (i32.add (local.get $yo) (local.get $c))) (f32.const 0)
                (local.get $acc)))
            (local.set $p (local.get $ps))
            (block $end
              (loop $entries
                (br_if $end (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $pp (i32.shl (local.get $p) (i32.const 2)))
                (local.set $wk
                  (i32.add (local.get $W)
                    (i32.mul (local.get $hb)
                      (select (i32.load (i32.add (local.get $edgeAt) (local.get $pp))) (local.get $p)
                        (local.get $byEdge)))))
                (local.set $s (f32.add (local.get $s)
                  (f32.mul (f32.load (i32.add (local.get $wk) (local.get $h0)))
                    (f32.load
                      (i32.add (i32.add (local.get $X) (local.get $c))
                        (i32.mul (i32.load (i32.add (local.get $other) (local.get $pp))) (local.get $rb)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $entries)))
            (f32.store (i32.add (local.get $yo) (local.get $c)) (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $pass1)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; <A, B> over n floats in the JS twin's order (dotJs): four lane sums over the quads, added
  ;; as (s0 + s1) + (s2 + s3), then the remaining floats one by one.
  (func $dot (param $A i32) (param $B i32) (param $n i32) (result f32)
    (local $o i32) (local $nb i32) (local $end4 i32) (local $acc v128) (local $s f32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $nb) (i32.const -16)))
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $o (i32.const 0))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $acc
          (f32x4.add (local.get $acc)
            (f32x4.mul
              (v128.load (i32.add (local.get $A) (local.get $o)))
              (v128.load (i32.add (local.get $B) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (local.set $s
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
        (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $nb)))
        (local.set $s
          (f32.add (local.get $s)
            (f32.mul
              (f32.load (i32.add (local.get $A) (local.get $o)))
              (f32.load (i32.add (local.get $B) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles)))
    (local.get $s))

  ;; E[k, h] (+)= <X[v, head h], Y[col[k], head h]> for the edges k of destinations v in
  ;; [r0, r1): written, or added when $add is not 0.
  (func (export "edge_dots")
    (param $rowPtr i32) (param $col i32) (param $X i32) (param $Y i32) (param $H i32)
    (param $C i32) (param $E i32) (param $r0 i32) (param $r1 i32) (param $add i32)
    (local $v i32) (local $k i32) (local $ke i32) (local $h i32) (local $d i32) (local $db i32)
    (local $rb i32) (local $xo i32) (local $yo i32) (local $at i32) (local $s f32)
    (local.set $d (i32.div_u (local.get $C) (local.get $H)))
    (local.set $db (i32.shl (local.get $d) (i32.const 2)))
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $v (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $v) (local.get $r1)))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $v) (local.get $rb))))
        (local.set $k (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $ke (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (block $edgesDone
          (loop $edges
            (br_if $edgesDone (i32.ge_u (local.get $k) (local.get $ke)))
            (local.set $yo
              (i32.add (local.get $Y)
                (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2))))
                  (local.get $rb))))
            (local.set $at
              (i32.add (local.get $E) (i32.shl (i32.mul (local.get $k) (local.get $H)) (i32.const 2))))
            (local.set $h (i32.const 0))
            (block $headsDone
              (loop $heads
                (br_if $headsDone (i32.ge_u (local.get $h) (local.get $H)))
                (local.set $s
                  (call $dot
                    (i32.add (local.get $xo) (i32.mul (local.get $h) (local.get $db)))
                    (i32.add (local.get $yo) (i32.mul (local.get $h) (local.get $db)))
                    (local.get $d)))
                (if (local.get $add)
                  (then (local.set $s (f32.add (f32.load (local.get $at)) (local.get $s)))))
                (f32.store (local.get $at) (local.get $s))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))
                (local.set $h (i32.add (local.get $h) (i32.const 1)))
                (br $heads)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $edges)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

  ;; E[k, h] = D[v, h] + S[col[k], h] for the edges k of destinations v in [r0, r1).
  (func (export "edge_add")
    (param $rowPtr i32) (param $col i32) (param $D i32) (param $S i32) (param $H i32)
    (param $E i32) (param $r0 i32) (param $r1 i32)
    (local $v i32) (local $k i32) (local $ke i32) (local $hb i32) (local $o i32)
    (local $do i32) (local $so i32) (local $eo i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $v (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $v) (local.get $r1)))
        (local.set $do (i32.add (local.get $D) (i32.mul (local.get $v) (local.get $hb))))
        (local.set $k (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $ke (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (block $edgesDone
          (loop $edges
            (br_if $edgesDone (i32.ge_u (local.get $k) (local.get $ke)))
            (local.set $so
              (i32.add (local.get $S)
                (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2))))
                  (local.get $hb))))
            (local.set $eo (i32.add (local.get $E) (i32.mul (local.get $k) (local.get $hb))))
            (local.set $o (i32.const 0))
            (block $headsDone
              (loop $heads
                (br_if $headsDone (i32.ge_u (local.get $o) (local.get $hb)))
                (f32.store (i32.add (local.get $eo) (local.get $o))
                  (f32.add
                    (f32.load (i32.add (local.get $do) (local.get $o)))
                    (f32.load (i32.add (local.get $so) (local.get $o)))))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))
                (br $heads)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $edges)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

;; e^x in four lanes for x <= 0, as expfJs (../kernels/message.ts) computes it: Cephes'
  ;; expf, x = n ln 2 + r (n = floor(x log2 e + 1/2)), a degree-7 polynomial in r times 2^n,
  ;; each operation rounded to float32; 0 below -87.33654 (under the smallest normal float).
  (func $expf4 (param $x v128) (result v128)
    (local $fx v128) (local $r v128) (local $y v128)
    (local.set $fx
      (f32x4.floor
        (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))
          (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $x)
          (f32x4.mul (local.get $fx) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
        (f32x4.mul (local.get $fx) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $y
      (f32x4.add (f32x4.mul (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4) (local.get $r))
        (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $y
      (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
        (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $y
      (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
        (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $y
      (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
        (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $y
      (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
        (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $y
      (f32x4.add
        (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
        (v128.const f32x4 1 1 1 1)))
    ;; times 2^n, built from its exponent bits
    (local.set $y
      (f32x4.mul (local.get $y)
        (i32x4.shl
          (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $fx)) (v128.const i32x4 127 127 127 127))
          (i32.const 23))))
    (v128.bitselect (v128.const i32x4 0 0 0 0) (local.get $y)
      (f32x4.lt (local.get $x) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654))))

  ;; A[k, h] = exp(E[k, h] - m) / sum over the row's edges of exp(E[k', h] - m), m the row's
  ;; largest E[., h], for destinations [r0, r1); exp is $expf4. Four heads at a time in f32x4
  ;; lanes while they last (each lane the scalar loop of its head), then one head at a time.
  (func (export "edge_softmax")
    (param $rowPtr i32) (param $E i32) (param $A i32) (param $H i32) (param $r0 i32) (param $r1 i32)
    (local $v i32) (local $k0 i32) (local $k1 i32) (local $k i32) (local $h i32) (local $hb i32)
    (local $h4 i32) (local $o i32) (local $m v128) (local $sum v128) (local $x v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $h4 (i32.and (local.get $hb) (i32.const -16)))
    (local.set $v (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $v) (local.get $r1)))
        (local.set $k0 (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $k1 (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $h (i32.const 0))
        ;; four heads at a time
        (block $quadsDone
          (loop $quads
            (br_if $quadsDone (i32.ge_u (local.get $h) (local.get $h4)))
            (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $k (local.get $k0))
            (block $d
              (loop $maxes
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $m
                  (f32x4.max (local.get $m)
                    (v128.load (i32.add (i32.add (local.get $E) (local.get $h))
                      (i32.mul (local.get $k) (local.get $hb))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $maxes)))
            (local.set $sum (v128.const f32x4 0 0 0 0))
            (local.set $k (local.get $k0))
            (block $d
              (loop $exps
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $o (i32.add (local.get $h) (i32.mul (local.get $k) (local.get $hb))))
                (local.set $x
                  (call $expf4 (f32x4.sub (v128.load (i32.add (local.get $E) (local.get $o))) (local.get $m))))
                (v128.store (i32.add (local.get $A) (local.get $o)) (local.get $x))
                (local.set $sum (f32x4.add (local.get $sum) (local.get $x)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $exps)))
            (local.set $k (local.get $k0))
            (block $d
              (loop $divs
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $o
                  (i32.add (local.get $A) (i32.add (local.get $h) (i32.mul (local.get $k) (local.get $hb)))))
                (v128.store (local.get $o) (f32x4.div (v128.load (local.get $o)) (local.get $sum)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $divs)))
            (local.set $h (i32.add (local.get $h) (i32.const 16)))
            (br $quads)))
        ;; the remaining heads one by one (lane 0)
        (block $headsDone
          (loop $heads
            (br_if $headsDone (i32.ge_u (local.get $h) (local.get $hb)))
            (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $k (local.get $k0))
            (block $d
              (loop $maxes
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $m
                  (f32x4.max (local.get $m)
                    (v128.load32_splat (i32.add (i32.add (local.get $E) (local.get $h))
                      (i32.mul (local.get $k) (local.get $hb))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $maxes)))
            (local.set $sum (v128.const f32x4 0 0 0 0))
            (local.set $k (local.get $k0))
            (block $d
              (loop $exps
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $o (i32.add (local.get $h) (i32.mul (local.get $k) (local.get $hb))))
                (local.set $x
                  (call $expf4
                    (f32x4.sub (v128.load32_splat (i32.add (local.get $E) (local.get $o))) (local.get $m))))
                (f32.store (i32.add (local.get $A) (local.get $o)) (f32x4.extract_lane 0 (local.get $x)))
                (local.set $sum (f32x4.add (local.get $sum) (local.get $x)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $exps)))
            (local.set $k (local.get $k0))
            (block $d
              (loop $divs
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $o
                  (i32.add (local.get $A) (i32.add (local.get $h) (i32.mul (local.get $k) (local.get $hb)))))
                (f32.store (local.get $o)
                  (f32.div (f32.load (local.get $o)) (f32x4.extract_lane 0 (local.get $sum))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $divs)))
            (local.set $h (i32.add (local.get $h) (i32.const 4)))
            (br $heads)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

  ;; The gradient of edge_softmax: DE[k, h] (+)= A[k, h] (DA[k, h] - s), s = sum over the
  ;; row's edges of A DA, for destinations [r0, r1); flags bit 1 adds into DE.
  (func (export "edge_softmax_back")
    (param $rowPtr i32) (param $A i32) (param $DA i32) (param $DE i32) (param $H i32)
    (param $r0 i32) (param $r1 i32) (param $flags i32)
    (local $v i32) (local $k0 i32) (local $k1 i32) (local $k i32) (local $h i32) (local $hb i32)
    (local $o i32) (local $s f32) (local $g f32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $v (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $v) (local.get $r1)))
        (local.set $k0 (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $k1 (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $h (i32.const 0))
        (block $headsDone
          (loop $heads
            (br_if $headsDone (i32.ge_u (local.get $h) (local.get $hb)))
            (local.set $s (f32.const 0))
            (local.set $k (local.get $k0))
            (block $d
              (loop $sums
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $o (i32.add (local.get $h) (i32.mul (local.get $k) (local.get $hb))))
                (local.set $s
                  (f32.add (local.get $s)
                    (f32.mul
                      (f32.load (i32.add (local.get $A) (local.get $o)))
                      (f32.load (i32.add (local.get $DA) (local.get $o))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $sums)))
            (local.set $k (local.get $k0))
            (block $d
              (loop $grads
                (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
                (local.set $o (i32.add (local.get $h) (i32.mul (local.get $k) (local.get $hb))))
                (local.set $g
                  (f32.mul
                    (f32.load (i32.add (local.get $A) (local.get $o)))
                    (f32.sub (f32.load (i32.add (local.get $DA) (local.get $o))) (local.get $s))))
                (local.set $o (i32.add (local.get $DE) (local.get $o)))
                (if (i32.and (local.get $flags) (i32.const 2))
                  (then (local.set $g (f32.add (f32.load (local.get $o)) (local.get $g)))))
                (f32.store (local.get $o) (local.get $g))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $grads)))
            (local.set $h (i32.add (local.get $h) (i32.const 4)))
            (br $heads)))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; Elementwise arithmetic with broadcasting (the tape's add, sub, mul), rows [r0, r1) of an
  ;; [R x cols] result: Z[r, c] (+)= A[r, c] op B[r rs + c cs], op 0 add, 1 sub, 2 mul; B full
  ;; (rs = cols, cs = 1), a row (0, 1) or a column (1, 0); $acc adds the result into Z. One
  ;; rounding per operation, as the JS twin (../kernels/elementwise.ts).
  (func $ew4 (param $x v128) (param $y v128) (param $op i32) (result v128)
    (if (result v128) (i32.eq (local.get $op) (i32.const 2))
      (then (f32x4.mul (local.get $x) (local.get $y)))
      (else
        (if (result v128) (local.get $op)
          (then (f32x4.sub (local.get $x) (local.get $y)))
          (else (f32x4.add (local.get $x) (local.get $y)))))))

  (func (export "ew_binary")
    (param $A i32) (param $B i32) (param $Z i32) (param $cols i32) (param $rs i32) (param $cs i32)
    (param $op i32) (param $r0 i32) (param $r1 i32) (param $acc i32)
    (local $r i32) (local $o i32) (local $end i32) (local $end4 i32) (local $bo i32)
    (local $v v128)
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $o (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
        (local.set $end (i32.add (local.get $o) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $end4 (i32.add (local.get $o) (i32.and (i32.shl (local.get $cols) (i32.const 2)) (i32.const -16))))
        ;; B's row start; then B advances with the columns when cs is 1 and stays when 0
        (local.set $bo
          (i32.sub
            (i32.add (local.get $B) (i32.shl (i32.mul (local.get $r) (local.get $rs)) (i32.const 2)))
            (i32.mul (local.get $o) (local.get $cs))))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $v
              (call $ew4
                (v128.load (i32.add (local.get $A) (local.get $o)))
                (if (result v128) (local.get $cs)
                  (then (v128.load (i32.add (local.get $bo) (local.get $o))))
                  (else (v128.load32_splat (local.get $bo))))
                (local.get $op)))
            (if (local.get $acc)
              (then (local.set $v (f32x4.add (v128.load (i32.add (local.get $Z) (local.get $o))) (local.get $v)))))
            (v128.store (i32.add (local.get $Z) (local.get $o)) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $end)))
            (local.set $v
              (call $ew4
                (v128.load32_splat (i32.add (local.get $A) (local.get $o)))
                (v128.load32_splat
                  (i32.add (local.get $bo) (i32.mul (local.get $o) (local.get $cs))))
                (local.get $op)))
            (if (local.get $acc)
              (then (local.set $v (f32x4.add (v128.load32_splat (i32.add (local.get $Z) (local.get $o))) (local.get $v)))))
            (f32.store (i32.add (local.get $Z) (local.get $o)) (f32x4.extract_lane 0 (local.get $v)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; The gradient that a broadcast B of ew_binary gets, summed: with term = DZ * A (op 2, mul),
  ;; DZ (0, add) or -DZ (1, sub) for each element of an [R x cols] DZ,
  ;;   a row B (rs 0, cs 1):    G[c] (+)= sum over rows r in order of term[r, c], c in [i0, i1)
  ;;   a column B (rs 1, cs 0): G[r] (+)= sum over columns c in order of term[r, c], r in [i0, i1)
  ;; starting from G's value when $acc, else from 0; one rounding per operation.
  (func $term4 (param $dz v128) (param $a v128) (param $op i32) (result v128)
    (if (result v128) (i32.eq (local.get $op) (i32.const 2))
      (then (f32x4.mul (local.get $dz) (local.get $a)))
      (else
        (if (result v128) (local.get $op)
          (then (f32x4.neg (local.get $dz)))
          (else (local.get $dz))))))

  (func (export "ew_grad_b")
    (param $DZ i32) (param $A i32) (param $G i32) (param $R i32) (param $cols i32) (param $cs i32)
    (param $op i32) (param $i0 i32) (param $i1 i32) (param $acc i32)
    (local $i i32) (local $r i32) (local $o i32) (local $rb i32) (local $end i32) (local $s v128)
    (local.set $rb (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $i (local.get $i0))
    (if (local.get $cs)
      (then
        ;; a row: columns in quads, each lane summing its column down the rows
        (block $d4
          (loop $quads
            (br_if $d4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $i1)))
            (local.set $o (i32.shl (local.get $i) (i32.const 2)))
            (local.set $s
              (select (v128.load (i32.add (local.get $G) (local.get $o))) (v128.const i32x4 0 0 0 0)
                (local.get $acc)))
            (local.set $end (i32.add (local.get $o) (i32.mul (local.get $R) (local.get $rb))))
            (block $d
              (loop $rows
                (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
                (local.set $s
                  (f32x4.add (local.get $s)
                    (call $term4
                      (v128.load (i32.add (local.get $DZ) (local.get $o)))
                      (v128.load (i32.add (local.get $A) (local.get $o)))
                      (local.get $op))))
                (local.set $o (i32.add (local.get $o) (local.get $rb)))
                (br $rows)))
            (v128.store (i32.add (local.get $G) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $o (i32.shl (local.get $i) (i32.const 2)))
            (local.set $s
              (select (v128.load32_splat (i32.add (local.get $G) (local.get $o))) (v128.const i32x4 0 0 0 0)
                (local.get $acc)))
            (local.set $end (i32.add (local.get $o) (i32.mul (local.get $R) (local.get $rb))))
            (block $d
              (loop $rows
                (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
                (local.set $s
                  (f32x4.add (local.get $s)
                    (call $term4
                      (v128.load32_splat (i32.add (local.get $DZ) (local.get $o)))
                      (v128.load32_splat (i32.add (local.get $A) (local.get $o)))
                      (local.get $op))))
                (local.set $o (i32.add (local.get $o) (local.get $rb)))
                (br $rows)))
            (f32.store (i32.add (local.get $G) (i32.shl (local.get $i) (i32.const 2)))
              (f32x4.extract_lane 0 (local.get $s)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $singles))))
      (else
        ;; a column: each row summed along its columns, one float at a time
        (block $done
          (loop $rowsLoop
            (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $o (i32.mul (local.get $i) (local.get $rb)))
            (local.set $end (i32.add (local.get $o) (local.get $rb)))
            (local.set $s
              (select (v128.load32_splat (i32.add (local.get $G) (i32.shl (local.get $i) (i32.const 2))))
                (v128.const i32x4 0 0 0 0) (local.get $acc)))
            (block $d
              (loop $colsLoop
                (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
                (local.set $s
                  (f32x4.add (local.get $s)
                    (call $term4
                      (v128.load32_splat (i32.add (local.get $DZ) (local.get $o)))
                      (v128.load32_splat (i32.add (local.get $A) (local.get $o)))
                      (local.get $op))))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))
                (br $colsLoop)))
            (f32.store (i32.add (local.get $G) (i32.shl (local.get $i) (i32.const 2)))
              (f32x4.extract_lane 0 (local.get $s)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rowsLoop))))))

  ;; Softmax cross-entropy's forward for rows [r0, r1) of X [r x C], as softmaxXentJs
  ;; (../kernels/softmax.ts): m the row's largest X, E[r, c] = exp(X[r, c] - m) ($expf4),
  ;; S[r] = (m, z), z the sum of the row's E: four lane sums over the columns below C - C % 4,
  ;; ((l0 + l1) + (l2 + l3)), then the remaining columns one by one.
  (func (export "softmax_xent")
    (param $X i32) (param $E i32) (param $S i32) (param $C i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $row i32) (local $cb i32) (local $c4 i32) (local $o i32)
    (local $m v128) (local $x v128) (local $sum v128) (local $mf f32) (local $z f32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $c4 (i32.and (local.get $cb) (i32.const -16)))
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $row (i32.mul (local.get $r) (local.get $cb)))
        (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
        (local.set $o (i32.const 0))
        (block $d
          (loop $maxes
            (br_if $d (i32.ge_u (local.get $o) (local.get $c4)))
            (local.set $m
              (f32x4.max (local.get $m)
                (v128.load (i32.add (local.get $X) (i32.add (local.get $row) (local.get $o))))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $maxes)))
        (local.set $mf
          (f32.max
            (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
            (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
        (block $d
          (loop $maxTail
            (br_if $d (i32.ge_u (local.get $o) (local.get $cb)))
            (local.set $mf
              (f32.max (local.get $mf)
                (f32.load (i32.add (local.get $X) (i32.add (local.get $row) (local.get $o))))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $maxTail)))
        (local.set $m (f32x4.splat (local.get $mf)))
        (local.set $sum (v128.const f32x4 0 0 0 0))
        (local.set $o (i32.const 0))
        (block $d
          (loop $exps
            (br_if $d (i32.ge_u (local.get $o) (local.get $c4)))
            (local.set $x
              (call $expf4
                (f32x4.sub
                  (v128.load (i32.add (local.get $X) (i32.add (local.get $row) (local.get $o))))
                  (local.get $m))))
            (v128.store (i32.add (local.get $E) (i32.add (local.get $row) (local.get $o))) (local.get $x))
            (local.set $sum (f32x4.add (local.get $sum) (local.get $x)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $exps)))
        (local.set $z
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
            (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (block $d
          (loop $expTail
            (br_if $d (i32.ge_u (local.get $o) (local.get $cb)))
            (local.set $x
              (call $expf4
                (f32x4.sub
                  (v128.load32_splat (i32.add (local.get $X) (i32.add (local.get $row) (local.get $o))))
                  (local.get $m))))
            (f32.store (i32.add (local.get $E) (i32.add (local.get $row) (local.get $o)))
              (f32x4.extract_lane 0 (local.get $x)))
            (local.set $z (f32.add (local.get $z) (f32x4.extract_lane 0 (local.get $x))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $expTail)))
        (f32.store (i32.add (local.get $S) (i32.shl (local.get $r) (i32.const 3))) (local.get $mf))
        (f32.store offset=4 (i32.add (local.get $S) (i32.shl (local.get $r) (i32.const 3)))
          (local.get $z))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; Softmax cross-entropy's gradient for rows [r0, r1), as softmaxXentBackJs: DX[r, c] (+)=
  ;; E[r, c] q - (c = T[r] ? g : 0), q = g / z (E, S = (m, z) from softmax_xent); acc 1 adds.
  (func (export "softmax_xent_back")
    (param $E i32) (param $S i32) (param $T i32) (param $DX i32) (param $C i32) (param $g f32)
    (param $r0 i32) (param $r1 i32) (param $acc i32)
    (local $r i32) (local $row i32) (local $cb i32) (local $c4 i32) (local $o i32) (local $c i32)
    (local $tc i32) (local $q f32) (local $qv v128) (local $gv v128) (local $tv v128)
    (local $cols v128) (local $v v128) (local $vf f32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $c4 (i32.and (local.get $cb) (i32.const -16)))
    (local.set $gv (f32x4.splat (local.get $g)))
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $row (i32.mul (local.get $r) (local.get $cb)))
        (local.set $q
          (f32.div (local.get $g)
            (f32.load offset=4 (i32.add (local.get $S) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $qv (f32x4.splat (local.get $q)))
        (local.set $tc (i32.load (i32.add (local.get $T) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $tv (i32x4.splat (local.get $tc)))
        (local.set $cols (v128.const i32x4 0 1 2 3))
        (local.set $o (i32.const 0))
        (block $d
          (loop $quads
            (br_if $d (i32.ge_u (local.get $o) (local.get $c4)))
            ;; E q less g in the target's lane (less 0 elsewhere, as the JS twin)
            (local.set $v
              (f32x4.sub
                (f32x4.mul
                  (v128.load (i32.add (local.get $E) (i32.add (local.get $row) (local.get $o))))
                  (local.get $qv))
                (v128.and (local.get $gv) (i32x4.eq (local.get $cols) (local.get $tv)))))
            (if (local.get $acc)
              (then
                (local.set $v
                  (f32x4.add
                    (v128.load (i32.add (local.get $DX) (i32.add (local.get $row) (local.get $o))))
                    (local.get $v)))))
            (v128.store (i32.add (local.get $DX) (i32.add (local.get $row) (local.get $o))) (local.get $v))
            (local.set $cols (i32x4.add (local.get $cols) (v128.const i32x4 4 4 4 4)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (local.set $c (i32.shr_u (local.get $o) (i32.const 2)))
        (block $d
          (loop $tail
            (br_if $d (i32.ge_u (local.get $o) (local.get $cb)))
            (local.set $vf
              (f32.sub
                (f32.mul
                  (f32.load (i32.add (local.get $E) (i32.add (local.get $row) (local.get $o))))
                  (local.get $q))
                (select (local.get $g) (f32.const 0) (i32.eq (local.get $c) (local.get $tc)))))
            (if (local.get $acc)
              (then
                (local.set $vf
                  (f32.add
                    (f32.load (i32.add (local.get $DX) (i32.add (local.get $row) (local.get $o))))
                    (local.get $vf)))))
            (f32.store (i32.add (local.get $DX) (i32.add (local.get $row) (local.get $o))) (local.get $vf))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; D = S^T for rows [r0, r1) of S [R x C] (D [C x R]), as transposeJs: source rows eight at a
  ;; time, so each column's eight values land side by side in D. A copy: the same bits any way.
  (func (export "transpose")
    (param $S i32) (param $D i32) (param $R i32) (param $C i32) (param $r0 i32) (param $r1 i32)
    (local $rb i32) (local $re i32) (local $c i32) (local $r i32)
    (local.set $rb (local.get $r0))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $rb) (local.get $r1)))
        (local.set $re
          (select (i32.add (local.get $rb) (i32.const 8)) (local.get $r1)
            (i32.lt_u (i32.add (local.get $rb) (i32.const 8)) (local.get $r1))))
        (local.set $c (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $C)))
            (local.set $r (local.get $rb))
            (block $rowsDone
              (loop $rows
                (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $re)))
                (f32.store
                  (i32.add (local.get $D)
                    (i32.shl (i32.add (i32.mul (local.get $c) (local.get $R)) (local.get $r)) (i32.const 2)))
                  (f32.load
                    (i32.add (local.get $S)
                      (i32.shl (i32.add (i32.mul (local.get $r) (local.get $C)) (local.get $c)) (i32.const 2)))))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $rows)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cols)))
        (local.set $rb (i32.add (local.get $rb) (i32.const 8)))
        (br $blocks))))
  ;; ---------------------------------------------------------------------------------------
  ;; word2vec's skip-gram update with negative sampling over walks [k0, k1) of a block (walk k
  ;; at WALKS + k length 4, ending at its first -1): for every (center, context) pair, the
  ;; context (label 1) then the drawn negatives (label 0, one equal to the context skipped):
  ;;   x = <h, o>;  g = (label - sigma(x)) lr;  e += g o;  o += g h;   then h += e.
  ;; h = INPUT[center], o = OUTPUT[target]; lr = max(lrMin, lrStart - k lrStep); sigma and the
  ;; loss interpolated in TABLES (sigma at [0, 8194), softplus(-x) after it, x = i / 256 - 16).
  ;; Draw c of walk k is TABLE[mix(key + c golden) rem tableSize], key = mix((pos0 + k) ^ seed).
  ;; LOSS[0] (f64) = the pairs' summed loss, LOSS[1] (f64) = the pairs. SCRATCH holds e (dim
  ;; floats) then the pair's negatives (ints); LOSS + 16 gets a value of no meaning (below).
  ;; Contract and JS twin: ../kernels/sgns.ts. Threads running it at once on one table race
  ;; (Hogwild), as word2vec's threads do.
;; <A, B> over n floats in the JS twin's order (dot16Js in ../kernels/sgns.ts): four f32x4
  ;; sums over blocks of 16 floats (independent adds, where one sum would wait on each add),
  ;; the remaining quads into the first, the four added as (a0 + a1) + (a2 + a3), its lanes as
  ;; (l0 + l1) + (l2 + l3), then the remaining floats one by one.
  (func $dot16 (param $A i32) (param $B i32) (param $n i32) (result f32)
    (local $o i32) (local $nb i32) (local $end16 i32) (local $end4 i32) (local $pa i32) (local $pb i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end16 (i32.and (local.get $nb) (i32.const -64)))
    (local.set $end4 (i32.and (local.get $nb) (i32.const -16)))
    (local.set $o (i32.const 0))
    (block $d16
      (loop $blocks
        (br_if $d16 (i32.ge_u (local.get $o) (local.get $end16)))
        (local.set $pa (i32.add (local.get $A) (local.get $o)))
        (local.set $pb (i32.add (local.get $B) (local.get $o)))
        (local.set $a0 (f32x4.add (local.get $a0)
          (f32x4.mul (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb)))))
        (local.set $a1 (f32x4.add (local.get $a1)
          (f32x4.mul (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb)))))
        (local.set $a2 (f32x4.add (local.get $a2)
          (f32x4.mul (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb)))))
        (local.set $a3 (f32x4.add (local.get $a3)
          (f32x4.mul (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $blocks)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $a0 (f32x4.add (local.get $a0)
          (f32x4.mul
            (v128.load (i32.add (local.get $A) (local.get $o)))
            (v128.load (i32.add (local.get $B) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (local.set $a0
      (f32x4.add
        (f32x4.add (local.get $a0) (local.get $a1))
        (f32x4.add (local.get $a2) (local.get $a3))))
    (local.set $s
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
        (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $nb)))
        (local.set $s
          (f32.add (local.get $s)
            (f32.mul
              (f32.load (i32.add (local.get $A) (local.get $o)))
              (f32.load (i32.add (local.get $B) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles)))
    (local.get $s))

  (func (export "sgns")
    (param $walks i32) (param $length i32) (param $k0 i32) (param $k1 i32) (param $window i32)
    (param $input i32) (param $output i32) (param $dim i32) (param $table i32)
    (param $tableSize i32) (param $negatives i32) (param $seed i32) (param $pos0 i32)
    (param $lrStart f32) (param $lrStep f32) (param $lrMin f32)
    (param $tables i32) (param $scratch i32) (param $loss i32)
    (local $k i32) (local $at i32) (local $n i32) (local $lr f32) (local $key i32) (local $c i32)
    (local $j i32) (local $h i32) (local $hi i32) (local $m i32) (local $context i32)
    (local $s i32) (local $target i32) (local $o i32) (local $x f32) (local $sigma f32)
    (local $l f32) (local $t f32) (local $i i32) (local $f f32) (local $g f32) (local $ia i32)
    (local $gv v128) (local $ov v128) (local $d i32) (local $rb i32) (local $end4 i32)
    (local $sum f64) (local $pairs f64) (local $negs i32) (local $touch f32)
    (local.set $negs (i32.add (local.get $scratch) (i32.shl (local.get $dim) (i32.const 2))))
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $k (local.get $k0))
    (block $walksDone
      (loop $walk
        (br_if $walksDone (i32.ge_u (local.get $k) (local.get $k1)))
        (local.set $at
          (i32.add (local.get $walks)
            (i32.shl (i32.mul (local.get $k) (local.get $length)) (i32.const 2))))
        ;; n: the walk's nodes before its first -1
        (local.set $n (i32.const 0))
        (block $nDone
          (loop $scan
            (br_if $nDone (i32.ge_u (local.get $n) (local.get $length)))
            (br_if $nDone
              (i32.lt_s
                (i32.load (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 2))))
                (i32.const 0)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $scan)))
        (local.set $lr
          (f32.max (local.get $lrMin)
            (f32.sub (local.get $lrStart)
              (f32.mul (f32.convert_i32_u (local.get $k)) (local.get $lrStep)))))
        (local.set $key
          (call $mix (i32.xor (i32.add (local.get $pos0) (local.get $k)) (local.get $seed))))
        (local.set $c (i32.const 0))
        (local.set $j (i32.const 0))
        (block $centersDone
          (loop $center
            (br_if $centersDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $h
              (i32.add (local.get $input)
                (i32.mul
                  (i32.load (i32.add (local.get $at) (i32.shl (local.get $j) (i32.const 2))))
                  (local.get $rb))))
            (local.set $hi (i32.add (local.get $j) (local.get $window)))
            (if (i32.gt_s (local.get $hi) (i32.sub (local.get $n) (i32.const 1)))
              (then (local.set $hi (i32.sub (local.get $n) (i32.const 1)))))
            (local.set $m (i32.sub (local.get $j) (local.get $window)))
            (if (i32.lt_s (local.get $m) (i32.const 0)) (then (local.set $m (i32.const 0))))
            (block $contextsDone
              (loop $contexts
                (br_if $contextsDone (i32.gt_s (local.get $m) (local.get $hi)))
                (if (i32.ne (local.get $m) (local.get $j))
                  (then
                    (local.set $context
                      (i32.load (i32.add (local.get $at) (i32.shl (local.get $m) (i32.const 2)))))
                    ;; e = 0
                    (local.set $d (i32.const 0))
                    (block $z4
                      (loop $zq
                        (br_if $z4 (i32.ge_u (local.get $d) (local.get $end4)))
                        (v128.store (i32.add (local.get $scratch) (local.get $d))
                          (v128.const i32x4 0 0 0 0))
                        (local.set $d (i32.add (local.get $d) (i32.const 16)))
                        (br $zq)))
                    (block $z1
                      (loop $zs
                        (br_if $z1 (i32.ge_u (local.get $d) (local.get $rb)))
                        (f32.store (i32.add (local.get $scratch) (local.get $d)) (f32.const 0))
                        (local.set $d (i32.add (local.get $d) (i32.const 4)))
                        (br $zs)))
                    ;; draw the negatives first and read one float of each target's row: the
                    ;; rows' cache misses overlap instead of coming one after the other (the
                    ;; tables are tens of MB); the sum read is kept in $touch so the loads stay
                    (local.set $touch
                      (f32.add (local.get $touch)
                        (f32.load
                          (i32.add (local.get $output)
                            (i32.mul (local.get $context) (local.get $rb))))))
                    (local.set $s (i32.const 0))
                    (block $drawn
                      (loop $draw
                        (br_if $drawn (i32.ge_s (local.get $s) (local.get $negatives)))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (local.set $target
                          (i32.load
                            (i32.add (local.get $table)
                              (i32.shl
                                (i32.rem_u
                                  (call $mix
                                    (i32.add (local.get $key)
                                      (i32.mul (local.get $c) (i32.const 0x9e3779b9))))
                                  (local.get $tableSize))
                                (i32.const 2)))))
                        (i32.store
                          (i32.add (local.get $negs) (i32.shl (local.get $s) (i32.const 2)))
                          (local.get $target))
                        (local.set $touch
                          (f32.add (local.get $touch)
                            (f32.load
                              (i32.add (local.get $output)
                                (i32.mul (local.get $target) (local.get $rb))))))
                        (local.set $s (i32.add (local.get $s) (i32.const 1)))
                        (br $draw)))
                    (local.set $s (i32.const -1))
                    (block $targetsDone
                      (loop $targets
                        (br_if $targetsDone (i32.ge_s (local.get $s) (local.get $negatives)))
                        (block $skip
                          (if (i32.lt_s (local.get $s) (i32.const 0))
                            (then (local.set $target (local.get $context)))
                            (else
                              (local.set $target
                                (i32.load
                                  (i32.add (local.get $negs) (i32.shl (local.get $s) (i32.const 2)))))
                              (br_if $skip (i32.eq (local.get $target) (local.get $context)))))
                          (local.set $o
                            (i32.add (local.get $output) (i32.mul (local.get $target) (local.get $rb))))
                          (local.set $x (call $dot16 (local.get $h) (local.get $o) (local.get $dim)))
                          (if (f32.ge (local.get $x) (f32.const 16))
                            (then
                              (local.set $sigma (f32.const 1))
                              (local.set $l (f32.const 0)))
                            (else
                              (if (f32.gt (local.get $x) (f32.const -16))
                                (then
                                  (local.set $t
                                    (f32.mul (f32.add (local.get $x) (f32.const 16)) (f32.const 256)))
                                  (local.set $i (i32.trunc_f32_s (local.get $t)))
                                  (local.set $f
                                    (f32.sub (local.get $t) (f32.convert_i32_s (local.get $i))))
                                  (local.set $ia
                                    (i32.add (local.get $tables) (i32.shl (local.get $i) (i32.const 2))))
                                  (local.set $sigma
                                    (f32.add (f32.load (local.get $ia))
                                      (f32.mul (local.get $f)
                                        (f32.sub (f32.load offset=4 (local.get $ia))
                                          (f32.load (local.get $ia))))))
                                  ;; the loss table: 8194 floats on
                                  (local.set $ia (i32.add (local.get $ia) (i32.const 32776)))
                                  (local.set $l
                                    (f32.add (f32.load (local.get $ia))
                                      (f32.mul (local.get $f)
                                        (f32.sub (f32.load offset=4 (local.get $ia))
                                          (f32.load (local.get $ia)))))))
                                (else
                                  (local.set $sigma (f32.const 0))
                                  (local.set $l (f32.neg (local.get $x)))))))
                          (if (i32.lt_s (local.get $s) (i32.const 0))
                            (then
                              (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $l))))
                              (local.set $g
                                (f32.mul (f32.sub (f32.const 1) (local.get $sigma)) (local.get $lr))))
                            (else
                              ;; -log sigma(-x) = -log sigma(x) + x
                              (local.set $sum
                                (f64.add (local.get $sum)
                                  (f64.promote_f32 (f32.add (local.get $l) (local.get $x)))))
                              (local.set $g
                                (f32.mul (f32.sub (f32.const 0) (local.get $sigma)) (local.get $lr)))))
                          ;; e += g o; o += g h
                          (local.set $gv (f32x4.splat (local.get $g)))
                          (local.set $d (i32.const 0))
                          (block $u4
                            (loop $uq
                              (br_if $u4 (i32.ge_u (local.get $d) (local.get $end4)))
                              (local.set $ov (v128.load (i32.add (local.get $o) (local.get $d))))
                              (v128.store (i32.add (local.get $scratch) (local.get $d))
                                (f32x4.add (v128.load (i32.add (local.get $scratch) (local.get $d)))
                                  (f32x4.mul (local.get $gv) (local.get $ov))))
                              (v128.store (i32.add (local.get $o) (local.get $d))
                                (f32x4.add (local.get $ov)
                                  (f32x4.mul (local.get $gv)
                                    (v128.load (i32.add (local.get $h) (local.get $d))))))
                              (local.set $d (i32.add (local.get $d) (i32.const 16)))
                              (br $uq)))
                          (block $u1
                            (loop $us
                              (br_if $u1 (i32.ge_u (local.get $d) (local.get $rb)))
                              (local.set $f (f32.load (i32.add (local.get $o) (local.get $d))))
                              (f32.store (i32.add (local.get $scratch) (local.get $d))
                                (f32.add (f32.load (i32.add (local.get $scratch) (local.get $d)))
                                  (f32.mul (local.get $g) (local.get $f))))
                              (f32.store (i32.add (local.get $o) (local.get $d))
                                (f32.add (local.get $f)
                                  (f32.mul (local.get $g)
                                    (f32.load (i32.add (local.get $h) (local.get $d))))))
                              (local.set $d (i32.add (local.get $d) (i32.const 4)))
                              (br $us))))
                        (local.set $s (i32.add (local.get $s) (i32.const 1)))
                        (br $targets)))
                    ;; h += e
                    (local.set $d (i32.const 0))
                    (block $h4
                      (loop $hq
                        (br_if $h4 (i32.ge_u (local.get $d) (local.get $end4)))
                        (v128.store (i32.add (local.get $h) (local.get $d))
                          (f32x4.add (v128.load (i32.add (local.get $h) (local.get $d)))
                            (v128.load (i32.add (local.get $scratch) (local.get $d)))))
                        (local.set $d (i32.add (local.get $d) (i32.const 16)))
                        (br $hq)))
                    (block $h1
                      (loop $hs
                        (br_if $h1 (i32.ge_u (local.get $d) (local.get $rb)))
                        (f32.store (i32.add (local.get $h) (local.get $d))
                          (f32.add (f32.load (i32.add (local.get $h) (local.get $d)))
                            (f32.load (i32.add (local.get $scratch) (local.get $d)))))
                        (local.set $d (i32.add (local.get $d) (i32.const 4)))
                        (br $hs)))
                    (local.set $pairs (f64.add (local.get $pairs) (f64.const 1)))))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))
                (br $contexts)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $center)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $walk)))
    (f32.store offset=16 (local.get $loss) (local.get $touch))
    (f64.store (local.get $loss) (local.get $sum))
    (f64.store offset=8 (local.get $loss) (local.get $pairs)))

  ;; ---------------------------------------------------------------------------------------
  ;; Local weighted smoothing fused row by row (VRKG4Rec as its authors' code computes it; the
  ;; JS twin and the equations are in src/engine/kernels/lws.ts). Vectors of $rb bytes, each
  ;; element one float32 rounding per multiply and per add, in the twin's order; a vector's
  ;; first term is written on 0 + term ($keep 0) rather than zeroing it in a pass of its own.
  (func $zero_v (param $Y i32) (param $rb i32)
    (local $o i32) (local $end4 i32)
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (v128.store (i32.add (local.get $Y) (local.get $o)) (v128.const i32x4 0 0 0 0))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
        (f32.store (i32.add (local.get $Y) (local.get $o)) (f32.const 0))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; Y = ($keep ? Y : 0) + a X
  (func $axpy_v (param $Y i32) (param $a f32) (param $X i32) (param $rb i32) (param $keep i32)
    (local $o i32) (local $end4 i32) (local $va v128)
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (v128.store (i32.add (local.get $Y) (local.get $o))
          (f32x4.add
            (select (v128.load (i32.add (local.get $Y) (local.get $o))) (v128.const i32x4 0 0 0 0)
              (local.get $keep))
            (f32x4.mul (local.get $va) (v128.load (i32.add (local.get $X) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
        (f32.store (i32.add (local.get $Y) (local.get $o))
          (f32.add
            (select (f32.load (i32.add (local.get $Y) (local.get $o))) (f32.const 0)
              (local.get $keep))
            (f32.mul (local.get $a) (f32.load (i32.add (local.get $X) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; Y = ($keep ? Y + X : X)
  (func $add_v (param $Y i32) (param $X i32) (param $rb i32) (param $keep i32)
    (local $o i32) (local $end4 i32)
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (v128.store (i32.add (local.get $Y) (local.get $o))
          (select
            (f32x4.add (v128.load (i32.add (local.get $Y) (local.get $o)))
              (v128.load (i32.add (local.get $X) (local.get $o))))
            (v128.load (i32.add (local.get $X) (local.get $o)))
            (local.get $keep)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
        (f32.store (i32.add (local.get $Y) (local.get $o))
          (select
            (f32.add (f32.load (i32.add (local.get $Y) (local.get $o)))
              (f32.load (i32.add (local.get $X) (local.get $o))))
            (f32.load (i32.add (local.get $X) (local.get $o)))
            (local.get $keep)))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; U = squash(M) + RES in one pass (squash's bits: s from $rowdot, M s rounded, then + RES)
  (func $squash_plus (param $M i32) (param $RES i32) (param $U i32) (param $rb i32)
    (local $o i32) (local $end4 i32) (local $n f32) (local $s f32) (local $vs v128)
    (local.set $n (call $rowdot (local.get $M) (f32.const 1) (local.get $M) (local.get $rb)))
    (if (f32.gt (local.get $n) (f32.const 1e-30))
      (then
        (local.set $s (f32.div (f32.sqrt (local.get $n)) (f32.add (f32.const 1) (local.get $n))))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (v128.store (i32.add (local.get $U) (local.get $o))
          (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $M) (local.get $o))) (local.get $vs))
            (v128.load (i32.add (local.get $RES) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
        (f32.store (i32.add (local.get $U) (local.get $o))
          (f32.add (f32.mul (f32.load (i32.add (local.get $M) (local.get $o))) (local.get $s))
            (f32.load (i32.add (local.get $RES) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; One edge's backward terms of an iteration, in one pass: DU = ($keepDu ? DU : 0) + dd X and
  ;; MG = (($keepMg ? MG : 0) + wc G) + dd U
  (func $edge_back_v (param $DU i32) (param $MG i32) (param $X i32) (param $G i32) (param $U i32)
    (param $wc f32) (param $dd f32) (param $keepDu i32) (param $keepMg i32) (param $rb i32)
    (local $o i32) (local $end4 i32) (local $vwc v128) (local $vdd v128)
    (local.set $vwc (f32x4.splat (local.get $wc)))
    (local.set $vdd (f32x4.splat (local.get $dd)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (v128.store (i32.add (local.get $DU) (local.get $o))
          (f32x4.add
            (select (v128.load (i32.add (local.get $DU) (local.get $o))) (v128.const i32x4 0 0 0 0)
              (local.get $keepDu))
            (f32x4.mul (local.get $vdd) (v128.load (i32.add (local.get $X) (local.get $o))))))
        (v128.store (i32.add (local.get $MG) (local.get $o))
          (f32x4.add
            (f32x4.add
              (select (v128.load (i32.add (local.get $MG) (local.get $o))) (v128.const i32x4 0 0 0 0)
                (local.get $keepMg))
              (f32x4.mul (local.get $vwc) (v128.load (i32.add (local.get $G) (local.get $o)))))
            (f32x4.mul (local.get $vdd) (v128.load (i32.add (local.get $U) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
        (f32.store (i32.add (local.get $DU) (local.get $o))
          (f32.add
            (select (f32.load (i32.add (local.get $DU) (local.get $o))) (f32.const 0)
              (local.get $keepDu))
            (f32.mul (local.get $dd) (f32.load (i32.add (local.get $X) (local.get $o))))))
        (f32.store (i32.add (local.get $MG) (local.get $o))
          (f32.add
            (f32.add
              (select (f32.load (i32.add (local.get $MG) (local.get $o))) (f32.const 0)
                (local.get $keepMg))
              (f32.mul (local.get $wc) (f32.load (i32.add (local.get $G) (local.get $o)))))
            (f32.mul (local.get $dd) (f32.load (i32.add (local.get $U) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles))))

  ;; Four dot products of A with B0 .. B3 over n floats, stored at O0 .. O3: each in $dot's
  ;; order (its own lane sums), the four chains interleaved so they run side by side.
  (func $dot4 (param $A i32) (param $B0 i32) (param $B1 i32) (param $B2 i32) (param $B3 i32)
    (param $n i32) (param $O0 i32) (param $O1 i32) (param $O2 i32) (param $O3 i32)
    (local $o i32) (local $nb i32) (local $end4 i32) (local $a v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $s0 f32) (local $s1 f32) (local $s2 f32) (local $s3 f32) (local $x f32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $nb) (i32.const -16)))
    (block $d4
      (loop $quads
        (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $a (v128.load (i32.add (local.get $A) (local.get $o))))
        (local.set $c0 (f32x4.add (local.get $c0)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $B0) (local.get $o))))))
        (local.set $c1 (f32x4.add (local.get $c1)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $B1) (local.get $o))))))
        (local.set $c2 (f32x4.add (local.get $c2)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $B2) (local.get $o))))))
        (local.set $c3 (f32x4.add (local.get $c3)
          (f32x4.mul (local.get $a) (v128.load (i32.add (local.get $B3) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (local.set $s0 (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $c0)) (f32x4.extract_lane 1 (local.get $c0)))
      (f32.add (f32x4.extract_lane 2 (local.get $c0)) (f32x4.extract_lane 3 (local.get $c0)))))
    (local.set $s1 (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $c1)) (f32x4.extract_lane 1 (local.get $c1)))
      (f32.add (f32x4.extract_lane 2 (local.get $c1)) (f32x4.extract_lane 3 (local.get $c1)))))
    (local.set $s2 (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $c2)) (f32x4.extract_lane 1 (local.get $c2)))
      (f32.add (f32x4.extract_lane 2 (local.get $c2)) (f32x4.extract_lane 3 (local.get $c2)))))
    (local.set $s3 (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $c3)) (f32x4.extract_lane 1 (local.get $c3)))
      (f32.add (f32x4.extract_lane 2 (local.get $c3)) (f32x4.extract_lane 3 (local.get $c3)))))
    (block $d1
      (loop $singles
        (br_if $d1 (i32.ge_u (local.get $o) (local.get $nb)))
        (local.set $x (f32.load (i32.add (local.get $A) (local.get $o))))
        (local.set $s0 (f32.add (local.get $s0)
          (f32.mul (local.get $x) (f32.load (i32.add (local.get $B0) (local.get $o))))))
        (local.set $s1 (f32.add (local.get $s1)
          (f32.mul (local.get $x) (f32.load (i32.add (local.get $B1) (local.get $o))))))
        (local.set $s2 (f32.add (local.get $s2)
          (f32.mul (local.get $x) (f32.load (i32.add (local.get $B2) (local.get $o))))))
        (local.set $s3 (f32.add (local.get $s3)
          (f32.mul (local.get $x) (f32.load (i32.add (local.get $B3) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $singles)))
    (f32.store (local.get $O0) (local.get $s0))
    (f32.store (local.get $O1) (local.get $s1))
    (f32.store (local.get $O2) (local.get $s2))
    (f32.store (local.get $O3) (local.get $s3)))

  ;; O[k * ostride] = A . X[other[ps + k]] for the edges ps .. pe of a row (n floats a row of
  ;; X, rb bytes): four at a time through $dot4, the rest through $dot
  (func $edge_dots_row (param $A i32) (param $X i32) (param $other i32) (param $ps i32)
    (param $pe i32) (param $n i32) (param $rb i32) (param $O i32) (param $ostride i32)
    (local $p i32)
    (local.set $p (local.get $ps))
    (block $d4
      (loop $fours
        (br_if $d4 (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
        (call $dot4 (local.get $A)
          (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rb)))
          (i32.add (local.get $X) (i32.mul (i32.load offset=4 (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rb)))
          (i32.add (local.get $X) (i32.mul (i32.load offset=8 (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rb)))
          (i32.add (local.get $X) (i32.mul (i32.load offset=12 (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rb)))
          (local.get $n)
          (i32.add (local.get $O) (i32.mul (i32.sub (local.get $p) (local.get $ps)) (local.get $ostride)))
          (i32.add (local.get $O) (i32.mul (i32.add (i32.sub (local.get $p) (local.get $ps)) (i32.const 1)) (local.get $ostride)))
          (i32.add (local.get $O) (i32.mul (i32.add (i32.sub (local.get $p) (local.get $ps)) (i32.const 2)) (local.get $ostride)))
          (i32.add (local.get $O) (i32.mul (i32.add (i32.sub (local.get $p) (local.get $ps)) (i32.const 3)) (local.get $ostride))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $fours)))
    (block $d1
      (loop $ones
        (br_if $d1 (i32.ge_u (local.get $p) (local.get $pe)))
        (f32.store
          (i32.add (local.get $O) (i32.mul (i32.sub (local.get $p) (local.get $ps)) (local.get $ostride)))
          (call $dot (local.get $A)
            (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2)))) (local.get $rb)))
            (local.get $n)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $ones))))

  ;; Rows [r0, r1): m_0 = sum_p W[p] X[other[p]]; for q = 1 .. Q-1: u = squash(m_{q-1}) + RES[r]
  ;; (in S), d = u . x_p, c = d (or, flags bit 0 and q > 1, c' (c' d) with c' the edge's
  ;; previous c), m_q = sum_p (W[p] c) x_p; OUT[r] = m_{Q-1}. m_0 .. m_{Q-2} kept in SAVED
  ;; (row r's m_q at (r (Q-1) + q) dim floats) and u_1 .. u_{Q-1} in USAVED (u_q at
  ;; (r (Q-1) + q - 1) dim), each edge's (d, c) in EDGES (edge p, iteration q at
  ;; 2 (p (Q-1) + q - 1) floats).
  (func (export "lws_forward")
    (param $rowPtr i32) (param $other i32) (param $W i32) (param $X i32) (param $RES i32)
    (param $OUT i32) (param $SAVED i32) (param $USAVED i32) (param $EDGES i32) (param $dim i32)
    (param $Q i32) (param $flags i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $rb i32) (local $P i32) (local $ps i32) (local $pe i32) (local $p i32)
    (local $ro i32) (local $m i32) (local $next i32) (local $q i32) (local $xo i32)
    (local $eo i32) (local $uq i32) (local $compound i32) (local $dot f32) (local $c f32) (local $cp f32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $P (i32.sub (local.get $Q) (i32.const 1)))
    (local.set $compound (i32.and (local.get $flags) (i32.const 1)))
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $ps (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $ro (i32.add (local.get $RES) (i32.mul (local.get $r) (local.get $rb))))
        (local.set $m
          (select
            (i32.add (local.get $SAVED) (i32.mul (i32.mul (local.get $r) (local.get $P)) (local.get $rb)))
            (i32.add (local.get $OUT) (i32.mul (local.get $r) (local.get $rb)))
            (local.get $P)))
        (if (i32.eq (local.get $ps) (local.get $pe)) (then (call $zero_v (local.get $m) (local.get $rb))))
        (local.set $p (local.get $ps))
        (block $e0
          (loop $edges0
            (br_if $e0 (i32.ge_u (local.get $p) (local.get $pe)))
            (call $axpy_v (local.get $m)
              (f32.load (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 2))))
              (i32.add (local.get $X)
                (i32.mul (i32.load (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2))))
                  (local.get $rb)))
              (local.get $rb) (i32.gt_u (local.get $p) (local.get $ps)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $edges0)))
        (local.set $q (i32.const 1))
        (block $itersDone
          (loop $iters
            (br_if $itersDone (i32.ge_u (local.get $q) (local.get $Q)))
            ;; u_q = squash(m_{q-1}) + res, kept for the backward
            (local.set $uq
              (i32.add (local.get $USAVED)
                (i32.mul
                  (i32.sub (i32.add (i32.mul (local.get $r) (local.get $P)) (local.get $q)) (i32.const 1))
                  (local.get $rb))))
            (call $squash_plus (local.get $m) (local.get $ro) (local.get $uq) (local.get $rb))
            (local.set $next
              (select
                (i32.add (local.get $OUT) (i32.mul (local.get $r) (local.get $rb)))
                (i32.add (local.get $SAVED)
                  (i32.mul (i32.add (i32.mul (local.get $r) (local.get $P)) (local.get $q))
                    (local.get $rb)))
                (i32.eq (local.get $q) (local.get $P))))
            (if (i32.eq (local.get $ps) (local.get $pe))
              (then (call $zero_v (local.get $next) (local.get $rb))))
            ;; d_{q,p} = u . x_p for every edge first (into EDGES), four chains at a time
            (call $edge_dots_row (local.get $uq) (local.get $X) (local.get $other) (local.get $ps)
              (local.get $pe) (local.get $dim) (local.get $rb)
              (i32.add (local.get $EDGES)
                (i32.shl
                  (i32.sub (i32.add (i32.mul (local.get $ps) (local.get $P)) (local.get $q)) (i32.const 1))
                  (i32.const 3)))
              (i32.shl (local.get $P) (i32.const 3)))
            (local.set $p (local.get $ps))
            (block $eq
              (loop $edgesq
                (br_if $eq (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $xo
                  (i32.add (local.get $X)
                    (i32.mul (i32.load (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2))))
                      (local.get $rb))))
                (local.set $eo
                  (i32.add (local.get $EDGES)
                    (i32.shl
                      (i32.sub (i32.add (i32.mul (local.get $p) (local.get $P)) (local.get $q)) (i32.const 1))
                      (i32.const 3))))
                (local.set $dot (f32.load (local.get $eo)))
                (local.set $c (local.get $dot))
                (if (i32.and (local.get $compound) (i32.gt_u (local.get $q) (i32.const 1)))
                  (then
                    (local.set $cp (f32.load (i32.sub (local.get $eo) (i32.const 4))))
                    (local.set $c
                      (f32.mul (local.get $cp) (f32.mul (local.get $cp) (local.get $dot))))))
                (f32.store (local.get $eo) (local.get $dot))
                (f32.store offset=4 (local.get $eo) (local.get $c))
                (call $axpy_v (local.get $next)
                  (f32.mul (f32.load (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 2))))
                    (local.get $c))
                  (local.get $xo) (local.get $rb) (i32.gt_u (local.get $p) (local.get $ps)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $edgesq)))
            (local.set $m (local.get $next))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $iters)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; The gradient of lws_forward from G = d OUT, rows [r0, r1): DW[p] and DRES[r] written (or
  ;; added: flags bits 1 and 2), MG[p] (each edge's message to its source, dim floats) written;
  ;; DC and ES per-edge scratch, S two rows of dim. Steps as lwsBackwardJs.
  (func (export "lws_backward")
    (param $rowPtr i32) (param $other i32) (param $W i32) (param $X i32) (param $SAVED i32) (param $USAVED i32) (param $EDGES i32) (param $G i32) (param $DW i32)
    (param $DRES i32)
    (param $MG i32) (param $DC i32) (param $ES i32) (param $dim i32) (param $Q i32)
    (param $flags i32) (param $S i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $rb i32) (local $P i32) (local $ps i32) (local $pe i32) (local $p i32)
    (local $dro i32) (local $q i32) (local $xo i32) (local $eo i32)
    (local $mprev i32) (local $du i32) (local $u i32) (local $mg i32) (local $da i32) (local $gp i32)
    (local $compound i32) (local $addW i32) (local $addR i32)
    (local $c f32) (local $wk f32) (local $e f32) (local $dcq f32) (local $dd f32)
    (local $carry f32) (local $cp f32) (local $cd f32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $P (i32.sub (local.get $Q) (i32.const 1)))
    (local.set $compound (i32.and (local.get $flags) (i32.const 1)))
    (local.set $addW (i32.and (local.get $flags) (i32.const 2)))
    (local.set $addR (i32.and (local.get $flags) (i32.const 4)))
    (local.set $du (i32.add (local.get $S) (local.get $rb)))
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $ps (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $dro (i32.add (local.get $DRES) (i32.mul (local.get $r) (local.get $rb))))
        ;; G: the row's output gradient first, then each iteration's (in S)
        (local.set $gp (i32.add (local.get $G) (i32.mul (local.get $r) (local.get $rb))))
        ;; DRES written by the first iteration's term unless added to; with Q = 1 it stays 0
        (if (i32.and (i32.eqz (local.get $addR)) (i32.eqz (local.get $P)))
          (then (call $zero_v (local.get $dro) (local.get $rb))))
        (local.set $p (local.get $ps))
        (block $z
          (loop $zeroEdges
            (br_if $z (i32.ge_u (local.get $p) (local.get $pe)))
            (if (i32.eqz (local.get $addW))
              (then (f32.store (i32.add (local.get $DW) (i32.shl (local.get $p) (i32.const 2))) (f32.const 0))))
            (f32.store (i32.add (local.get $DC) (i32.shl (local.get $p) (i32.const 2))) (f32.const 0))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $zeroEdges)))
        (local.set $q (local.get $P))
        (block $itersDone
          (loop $iters
            (br_if $itersDone (i32.lt_s (local.get $q) (i32.const 1)))
            (local.set $mprev
              (i32.add (local.get $SAVED)
                (i32.mul
                  (i32.sub (i32.add (i32.mul (local.get $r) (local.get $P)) (local.get $q)) (i32.const 1))
                  (local.get $rb))))
            ;; u_q, as the forward kept it
            (local.set $u
              (i32.add (local.get $USAVED)
                (i32.mul
                  (i32.sub (i32.add (i32.mul (local.get $r) (local.get $P)) (local.get $q)) (i32.const 1))
                  (local.get $rb))))
            (if (i32.eq (local.get $ps) (local.get $pe))
              (then (call $zero_v (local.get $du) (local.get $rb))))
            ;; e_p = G . x_p for every edge first (into ES), four chains at a time
            (call $edge_dots_row (local.get $gp) (local.get $X) (local.get $other) (local.get $ps)
              (local.get $pe) (local.get $dim) (local.get $rb)
              (i32.add (local.get $ES) (i32.shl (local.get $ps) (i32.const 2))) (i32.const 4))
            (local.set $p (local.get $ps))
            (block $e1
              (loop $edges1
                (br_if $e1 (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $xo
                  (i32.add (local.get $X)
                    (i32.mul (i32.load (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2))))
                      (local.get $rb))))
                (local.set $eo
                  (i32.add (local.get $EDGES)
                    (i32.shl
                      (i32.sub (i32.add (i32.mul (local.get $p) (local.get $P)) (local.get $q)) (i32.const 1))
                      (i32.const 3))))
                (local.set $mg (i32.add (local.get $MG) (i32.mul (local.get $p) (local.get $rb))))
                (local.set $c (f32.load offset=4 (local.get $eo)))
                (local.set $wk (f32.load (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 2)))))
                ;; m_q = sum_p (w_p c_p) x_p: to the weight and the coefficient
                (local.set $e (f32.load (i32.add (local.get $ES) (i32.shl (local.get $p) (i32.const 2)))))
                (local.set $da (i32.add (local.get $DW) (i32.shl (local.get $p) (i32.const 2))))
                (f32.store (local.get $da)
                  (f32.add (f32.load (local.get $da)) (f32.mul (local.get $c) (local.get $e))))
                (local.set $da (i32.add (local.get $DC) (i32.shl (local.get $p) (i32.const 2))))
                (local.set $dcq
                  (f32.add (f32.load (local.get $da)) (f32.mul (local.get $wk) (local.get $e))))
                ;; d_{q,p} = u_q . x_p: c_q to c_{q-1} when compounding
                (local.set $dd (local.get $dcq))
                (local.set $carry (f32.const 0))
                (if (i32.and (local.get $compound) (i32.gt_u (local.get $q) (i32.const 1)))
                  (then
                    (local.set $cp (f32.load (i32.sub (local.get $eo) (i32.const 4))))
                    (local.set $cd (f32.mul (local.get $cp) (f32.load (local.get $eo))))
                    (local.set $dd (f32.mul (local.get $dcq) (f32.mul (local.get $cp) (local.get $cp))))
                    (local.set $carry
                      (f32.mul (local.get $dcq) (f32.add (local.get $cd) (local.get $cd))))))
                (f32.store (local.get $da) (local.get $carry))
                ;; to u_q (du) and the message
                (call $edge_back_v (local.get $du) (local.get $mg) (local.get $xo) (local.get $gp)
                  (local.get $u) (f32.mul (local.get $wk) (local.get $c)) (local.get $dd)
                  (i32.gt_u (local.get $p) (local.get $ps)) (i32.lt_u (local.get $q) (local.get $P))
                  (local.get $rb))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $edges1)))
            ;; u_q = squash(m_{q-1}) + res
            (call $add_v (local.get $dro) (local.get $du) (local.get $rb)
              (i32.or (local.get $addR) (i32.lt_u (local.get $q) (local.get $P))))
            (call $squash_back (local.get $mprev) (local.get $du) (local.get $S) (local.get $dim)
              (i32.const 0) (i32.const 1) (i32.const 0))
            (local.set $gp (local.get $S))
            (local.set $q (i32.sub (local.get $q) (i32.const 1)))
            (br $iters)))
        ;; m_0 = sum_p w_p x_p
        (local.set $p (local.get $ps))
        (block $e3
          (loop $edges3
            (br_if $e3 (i32.ge_u (local.get $p) (local.get $pe)))
            (local.set $xo
                  (i32.add (local.get $X)
                    (i32.mul (i32.load (i32.add (local.get $other) (i32.shl (local.get $p) (i32.const 2))))
                      (local.get $rb))))
            (local.set $da (i32.add (local.get $DW) (i32.shl (local.get $p) (i32.const 2))))
            (f32.store (local.get $da)
              (f32.add (f32.load (local.get $da)) (call $dot (local.get $gp) (local.get $xo) (local.get $dim))))
            (call $axpy_v (i32.add (local.get $MG) (i32.mul (local.get $p) (local.get $rb)))
              (f32.load (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 2))))
              (local.get $gp) (local.get $rb) (i32.gt_u (local.get $P) (i32.const 0)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $edges3)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; Rows [r0, r1) of d floats: G[r] = w_r X[r] (or, flags bit 1, G[r] + w_r X[r]) computed in
  ;; float64 and rounded to float32 once at the store, as the JS loops `g = w * x` and
  ;; `g += w * x` do; w_r = W[r] (flags bit 2) or the float64 scalar of words (wlo, whi).
  (func (export "scale_rows")
    (param $X i32) (param $W i32) (param $G i32) (param $d i32) (param $r0 i32) (param $r1 i32)
    (param $wlo i32) (param $whi i32) (param $flags i32)
    (local $r i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $xo i32) (local $go i32)
    (local $acc i32) (local $w f64) (local $vw v128) (local $xv v128) (local $gv v128)
    (local $lo v128) (local $hi v128) (local $g f64)
    (local.set $rb (i32.shl (local.get $d) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $acc (i32.and (local.get $flags) (i32.const 2)))
    (local.set $w
      (f64.reinterpret_i64
        (i64.or (i64.shl (i64.extend_i32_u (local.get $whi)) (i64.const 32))
          (i64.extend_i32_u (local.get $wlo)))))
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then
            (local.set $w
              (f64.promote_f32 (f32.load (i32.add (local.get $W) (i32.shl (local.get $r) (i32.const 2))))))))
        (local.set $vw (f64x2.splat (local.get $w)))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $r) (local.get $rb))))
        (local.set $go (i32.add (local.get $G) (i32.mul (local.get $r) (local.get $rb))))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $xv (v128.load (i32.add (local.get $xo) (local.get $o))))
            (local.set $lo (f64x2.mul (f64x2.promote_low_f32x4 (local.get $xv)) (local.get $vw)))
            (local.set $hi
              (f64x2.mul
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xv) (local.get $xv)))
                (local.get $vw)))
            (if (local.get $acc)
              (then
                (local.set $gv (v128.load (i32.add (local.get $go) (local.get $o))))
                (local.set $lo (f64x2.add (f64x2.promote_low_f32x4 (local.get $gv)) (local.get $lo)))
                (local.set $hi
                  (f64x2.add
                    (f64x2.promote_low_f32x4
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $gv) (local.get $gv)))
                    (local.get $hi)))))
            (v128.store (i32.add (local.get $go) (local.get $o))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (local.get $lo))
                (f32x4.demote_f64x2_zero (local.get $hi))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (local.set $g
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $xo) (local.get $o)))) (local.get $w)))
            (if (local.get $acc)
              (then
                (local.set $g
                  (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $go) (local.get $o))))
                    (local.get $g)))))
            (f32.store (i32.add (local.get $go) (local.get $o)) (f32.demote_f64 (local.get $g)))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; ---------------------------------------------------------------------------------------
  ;; Dropout then L2 normalisation, row by row, rows [r0, r1) of dim: with m the row's
  ;; dropout_mask values (element k = i dim + c, seeds s0, s1), XP[i] = X[i] m and
  ;; Y[i] = normalize_rows(XP[i]): the bits of dropout_mask, leaky_relu of slope 1 with that
  ;; mask, and normalize_rows in turn, in one pass over the rows. S: dim floats of scratch.
  (func (export "drop_normalize")
    (param $X i32) (param $XP i32) (param $Y i32) (param $dim i32) (param $r0 i32) (param $r1 i32)
    (param $s0 i32) (param $s1 i32) (param $below i32) (param $scale f32) (param $eps f32)
    (param $S i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $k0 i32)
    (local $xo i32) (local $po i32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $k0 (i32.mul (local.get $i) (local.get $dim)))
        ;; the row's mask into S (the mask array "starts" 4 k0 bytes before S)
        (call $dropout_mask (i32.sub (local.get $S) (i32.shl (local.get $k0) (i32.const 2)))
          (local.get $k0) (i32.add (local.get $k0) (local.get $dim))
          (local.get $s0) (local.get $s1) (local.get $below) (local.get $scale))
        (local.set $xo (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $po (i32.add (local.get $XP) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (v128.store (i32.add (local.get $po) (local.get $o))
              (f32x4.mul (v128.load (i32.add (local.get $xo) (local.get $o)))
                (v128.load (i32.add (local.get $S) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (f32.store (i32.add (local.get $po) (local.get $o))
              (f32.mul (f32.load (i32.add (local.get $xo) (local.get $o)))
                (f32.load (i32.add (local.get $S) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (call $normalize_rows (local.get $po)
          (i32.add (local.get $Y) (i32.mul (local.get $i) (local.get $rb)))
          (local.get $dim) (local.get $dim) (i32.const 0) (i32.const 1) (local.get $eps))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The gradient of drop_normalize from XP and DY, rows [r0, r1): g = normalize_rows_back's
  ;; gradient at XP, then OUT[i] = g m (or, flags bit 1, OUT[i] + g m). S: 2 dim floats.
  (func (export "drop_normalize_back")
    (param $XP i32) (param $DY i32) (param $OUT i32) (param $dim i32) (param $r0 i32)
    (param $r1 i32) (param $s0 i32) (param $s1 i32) (param $below i32) (param $scale f32)
    (param $eps f32) (param $S i32) (param $flags i32)
    (local $i i32) (local $rb i32) (local $end4 i32) (local $o i32) (local $k0 i32)
    (local $g i32) (local $yo i32) (local $acc i32) (local $v v128) (local $x f32)
    (local.set $rb (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $rb) (i32.const -16)))
    (local.set $acc (i32.and (local.get $flags) (i32.const 2)))
    (local.set $g (i32.add (local.get $S) (local.get $rb)))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $k0 (i32.mul (local.get $i) (local.get $dim)))
        (call $normalize_rows_back
          (i32.add (local.get $XP) (i32.mul (local.get $i) (local.get $rb)))
          (i32.add (local.get $DY) (i32.mul (local.get $i) (local.get $rb)))
          (local.get $dim) (local.get $g) (i32.const 0) (local.get $dim) (i32.const 0) (i32.const 1)
          (local.get $eps) (i32.const 0))
        (call $dropout_mask (i32.sub (local.get $S) (i32.shl (local.get $k0) (i32.const 2)))
          (local.get $k0) (i32.add (local.get $k0) (local.get $dim))
          (local.get $s0) (local.get $s1) (local.get $below) (local.get $scale))
        (local.set $yo (i32.add (local.get $OUT) (i32.mul (local.get $i) (local.get $rb))))
        (local.set $o (i32.const 0))
        (block $d4
          (loop $quads
            (br_if $d4 (i32.ge_u (local.get $o) (local.get $end4)))
            (local.set $v
              (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $o)))
                (v128.load (i32.add (local.get $S) (local.get $o)))))
            (if (local.get $acc)
              (then
                (local.set $v
                  (f32x4.add (v128.load (i32.add (local.get $yo) (local.get $o))) (local.get $v)))))
            (v128.store (i32.add (local.get $yo) (local.get $o)) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $quads)))
        (block $d1
          (loop $singles
            (br_if $d1 (i32.ge_u (local.get $o) (local.get $rb)))
            (local.set $x
              (f32.mul (f32.load (i32.add (local.get $g) (local.get $o)))
                (f32.load (i32.add (local.get $S) (local.get $o)))))
            (if (local.get $acc)
              (then
                (local.set $x (f32.add (f32.load (i32.add (local.get $yo) (local.get $o))) (local.get $x)))))
            (f32.store (i32.add (local.get $yo) (local.get $o)) (local.get $x))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $singles)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
