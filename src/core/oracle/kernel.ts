// The oracle's two passes as WebAssembly (text below, assembled at load by core/wasm/assemble.ts). The algorithm is
// described in oracle.ts; this file holds its arithmetic and nothing else: it computes per-step grid requests, and
// oracle.ts replays them through the one battery model for SOC, cash and profit.
//
// Memory layout (byte offsets chosen by oracle.ts): prices[T] f64; one 40-byte record per step t = 0..T with
// mid (g_t's kink, 0), y1 (8), y2 (16), lo (24), hi (32) — lo/hi of record t are V_t's domain; requests
// charge[T] and discharge[T] f64; the deque of V's pieces as 16-byte entries (slope 0, length 8), highest slope
// first, between `dq` and `dqEnd`.

import { type WasmFunction, type WasmMemory, assembleModule, instantiate } from '../wasm/assemble.ts';

/** Bytes per step record (five f64). */
export const RECORD_BYTES = 40;
/** Bytes per deque entry (slope and length). */
export const PIECE_BYTES = 16;

const BACKWARD: WasmFunction = {
  name: 'backward',
  params: [
    ['T', 'i32'], ['prices', 'i32'], ['rec', 'i32'], ['dq', 'i32'], ['dqEnd', 'i32'],
    ['perMWh', 'f64'], ['ec', 'f64'], ['ed', 'f64'], ['k', 'f64'], ['Xp', 'f64'], ['Xm', 'f64'], ['shared', 'i32'],
    ['smin', 'f64'], ['smax', 'f64'], ['L0', 'f64'], ['tol', 'f64'],
  ],
  result: 'i32',
  locals: [
    ['t', 'i32'], ['pp', 'i32'], ['r', 'i32'], ['head', 'i32'], ['tail', 'i32'], ['i', 'i32'], ['iHi', 'i32'],
    ['iLo', 'i32'], ['j', 'i32'], ['p', 'i32'], ['n', 'i32'],
    ['pi', 'f64'], ['a', 'f64'], ['bb', 'f64'], ['thHi', 'f64'], ['thLo', 'f64'], ['m', 'f64'], ['acc', 'f64'],
    ['lenHi', 'f64'], ['lenLo', 'f64'], ['L', 'f64'], ['total', 'f64'], ['cut', 'f64'], ['x', 'f64'],
    ['burnScale', 'f64'],
  ],
  // Returns 0 when solved, 1 when the deque is more than half full (the caller enlarges it and calls again).
  body: `
    ;; head = tail = the middle of the deque, on an entry boundary
    local.get $dqEnd local.get $dq i32.sub i32.const 1 i32.shr_u i32.const -16 i32.and local.get $dq i32.add
    local.tee $head local.set $tail
    local.get $Xp local.get $Xm f64.add f64.const 0 f64.gt
    if f64.const 1 local.get $Xp local.get $Xm f64.add f64.div local.set $burnScale end
    ;; V_T: slope 0 on [L0, smax]
    local.get $L0 local.set $L
    local.get $smax local.get $L f64.sub f64.const 0 f64.gt
    if
      local.get $tail f64.const 0 f64.store
      local.get $tail local.get $smax local.get $L f64.sub local.tee $total f64.store offset=8
      local.get $tail i32.const 16 i32.add local.set $tail
    end
    local.get $rec local.get $T i32.const 40 i32.mul i32.add local.tee $r local.get $L f64.store offset=24
    local.get $r local.get $L local.get $total f64.add f64.store offset=32
    local.get $prices local.get $T i32.const 3 i32.shl i32.add local.set $pp
    local.get $T local.set $t
    block $done loop $step
      local.get $t i32.eqz br_if $done
      local.get $t i32.const 1 i32.sub local.set $t
      local.get $r i32.const 40 i32.sub local.set $r
      local.get $pp i32.const 8 i32.sub local.set $pp

      ;; g_t: buy slope a, sell slope bb; burning pays when a < bb
      local.get $pp f64.load local.get $perMWh f64.div local.set $pi
      local.get $pi local.get $k f64.add local.get $ec f64.div local.tee $a local.set $thHi
      local.get $ed local.get $pi local.get $k f64.sub f64.mul local.tee $bb local.set $thLo
      f64.const 0 local.set $m
      local.get $a local.get $bb f64.lt
      if
        local.get $shared
        if
          local.get $a local.get $Xp f64.mul local.get $bb local.get $Xm f64.mul f64.add local.get $burnScale f64.mul
          local.tee $thHi local.set $thLo
          local.get $Xp local.set $m
        else
          local.get $bb local.set $thHi
          local.get $a local.set $thLo
          local.get $Xp local.get $Xm f64.sub local.set $m
        end
      end
      local.get $r local.get $m f64.store

      ;; where V_{t+1}' crosses thHi (y2) and thLo (y1): L + lengths of the pieces with a strictly higher slope
      local.get $L local.set $acc
      local.get $head local.set $i
      block $b1 loop $l1
        local.get $i local.get $tail i32.ge_u br_if $b1
        local.get $i f64.load local.get $thHi f64.gt i32.eqz br_if $b1
        local.get $acc local.get $i f64.load offset=8 f64.add local.set $acc
        local.get $i i32.const 16 i32.add local.set $i
        br $l1
      end end
      local.get $r local.get $acc f64.store offset=16
      local.get $i local.set $iHi
      block $b2 loop $l2
        local.get $i local.get $tail i32.ge_u br_if $b2
        local.get $i f64.load local.get $thLo f64.gt i32.eqz br_if $b2
        local.get $acc local.get $i f64.load offset=8 f64.add local.set $acc
        local.get $i i32.const 16 i32.add local.set $i
        br $l2
      end end
      local.get $r local.get $acc f64.store offset=8
      local.get $i local.set $iLo

      ;; merge the reversed g_t: (thHi, Xp - m) before iHi and (thLo, m + Xm) before iLo; empty pieces are skipped
      local.get $Xp local.get $m f64.sub local.set $lenHi
      local.get $m local.get $Xm f64.add local.set $lenLo
      local.get $lenHi f64.const 0 f64.gt local.get $lenLo f64.const 0 f64.gt i32.add i32.const 4 i32.shl local.tee $n
      if
        ;; less than two entries of room at an end: recentre (or give up when more than half full)
        local.get $head local.get $dq i32.sub i32.const 32 i32.lt_u
        local.get $dqEnd local.get $tail i32.sub i32.const 32 i32.lt_u
        i32.or
        if
          local.get $tail local.get $head i32.sub local.tee $j i32.const 1 i32.shl i32.const 64 i32.add
          local.get $dqEnd local.get $dq i32.sub i32.gt_u
          if i32.const 1 return end
          local.get $dqEnd local.get $dq i32.sub local.get $j i32.sub i32.const 1 i32.shr_u i32.const -16 i32.and
          local.get $dq i32.add local.tee $p local.get $head local.get $j memory.copy
          local.get $iHi local.get $p i32.add local.get $head i32.sub local.set $iHi
          local.get $iLo local.get $p i32.add local.get $head i32.sub local.set $iLo
          local.get $p local.set $head
          local.get $p local.get $j i32.add local.set $tail
        end
        ;; move the shorter side outwards
        local.get $iLo local.get $head i32.sub local.get $tail local.get $iHi i32.sub i32.le_u
        if
          ;; left: [head, iHi) to head - n, then thHi, then [iHi, iLo), then thLo
          local.get $head local.get $n i32.sub local.tee $p local.get $head local.get $iHi local.get $head i32.sub memory.copy
          local.get $p local.get $iHi i32.add local.get $head i32.sub local.set $p
          local.get $lenHi f64.const 0 f64.gt
          if
            local.get $p local.get $thHi f64.store
            local.get $p local.get $lenHi f64.store offset=8
            local.get $p i32.const 16 i32.add local.set $p
          end
          local.get $p local.get $iHi local.get $iLo local.get $iHi i32.sub memory.copy
          local.get $lenLo f64.const 0 f64.gt
          if
            local.get $p local.get $iLo i32.add local.get $iHi i32.sub local.tee $p local.get $thLo f64.store
            local.get $p local.get $lenLo f64.store offset=8
          end
          local.get $head local.get $n i32.sub local.set $head
        else
          ;; right: [iLo, tail) to iLo + n, thLo just before it, [iHi, iLo) one entry up when thHi goes at iHi
          local.get $iLo local.get $n i32.add local.get $iLo local.get $tail local.get $iLo i32.sub memory.copy
          local.get $lenLo f64.const 0 f64.gt
          if
            local.get $iLo local.get $n i32.add i32.const 16 i32.sub local.tee $p local.get $thLo f64.store
            local.get $p local.get $lenLo f64.store offset=8
          end
          local.get $lenHi f64.const 0 f64.gt
          if
            local.get $iHi i32.const 16 i32.add local.get $iHi local.get $iLo local.get $iHi i32.sub memory.copy
            local.get $iHi local.get $thHi f64.store
            local.get $iHi local.get $lenHi f64.store offset=8
          end
          local.get $tail local.get $n i32.add local.set $tail
        end
        local.get $lenHi f64.const 0 f64.gt
        if local.get $total local.get $lenHi f64.add local.set $total end
        local.get $lenLo f64.const 0 f64.gt
        if local.get $total local.get $lenLo f64.add local.set $total end
      end

      ;; V_t's domain starts Xp lower; cut it to [smin, smax]: the left end holds the highest slopes
      local.get $L local.get $Xp f64.sub local.set $L
      block $b3 loop $l3
        local.get $L local.get $smin f64.lt i32.eqz br_if $b3
        local.get $head local.get $tail i32.ge_u br_if $b3
        local.get $smin local.get $L f64.sub local.set $cut
        local.get $head f64.load offset=8 local.tee $x local.get $cut local.get $tol f64.add f64.le
        if
          local.get $L local.get $x f64.add local.set $L
          local.get $total local.get $x f64.sub local.set $total
          local.get $head i32.const 16 i32.add local.set $head
        else
          local.get $head local.get $x local.get $cut f64.sub f64.store offset=8
          local.get $total local.get $cut f64.sub local.set $total
          local.get $smin local.set $L
        end
        br $l3
      end end
      local.get $L local.get $smin f64.lt
      if local.get $smin local.set $L end
      block $b4 loop $l4
        local.get $L local.get $total f64.add local.get $smax f64.gt i32.eqz br_if $b4
        local.get $head local.get $tail i32.ge_u br_if $b4
        local.get $L local.get $total f64.add local.get $smax f64.sub local.set $cut
        local.get $tail i32.const 16 i32.sub local.tee $j f64.load offset=8 local.tee $x local.get $cut local.get $tol f64.add f64.le
        if
          local.get $total local.get $x f64.sub local.set $total
          local.get $j local.set $tail
        else
          local.get $j local.get $x local.get $cut f64.sub f64.store offset=8
          local.get $total local.get $cut f64.sub local.set $total
        end
        br $l4
      end end
      local.get $head local.get $tail i32.eq
      if f64.const 0 local.set $total end
      local.get $r local.get $L f64.store offset=24
      local.get $r local.get $L local.get $total f64.add f64.store offset=32
      br $step
    end end
    i32.const 0`,
};

const FORWARD: WasmFunction = {
  name: 'forward',
  params: [
    ['T', 'i32'], ['prices', 'i32'], ['rec', 'i32'], ['outC', 'i32'], ['outD', 'i32'],
    ['perMWh', 'f64'], ['ec', 'f64'], ['ed', 'f64'], ['k', 'f64'], ['Xp', 'f64'], ['Xm', 'f64'], ['shared', 'i32'],
    ['C', 'f64'], ['D', 'f64'], ['smin', 'f64'], ['smax', 'f64'], ['s0', 'f64'],
  ],
  result: null,
  locals: [
    ['t', 'i32'], ['pp', 'i32'], ['r', 'i32'], ['pc', 'i32'], ['pd', 'i32'],
    ['s', 'f64'], ['y', 'f64'], ['x', 'f64'], ['c', 'f64'], ['d', 'f64'], ['pi', 'f64'], ['v', 'f64'],
  ],
  // Per step: the next SOC y is s + mid clamped into the best range [y2, y1], V_{t+1}'s domain, the power range
  // and [smin, smax]; the requests that move s to y follow from g_t's pieces.
  body: `
    local.get $s0 local.set $s
    local.get $prices local.set $pp
    local.get $rec local.set $r
    local.get $outC local.set $pc
    local.get $outD local.set $pd
    block $done loop $step
      local.get $t local.get $T i32.ge_u br_if $done
      local.get $s local.get $r f64.load f64.add local.set $y
      local.get $y local.get $r f64.load offset=16 local.tee $v f64.lt if local.get $v local.set $y end
      local.get $y local.get $r f64.load offset=8 local.tee $v f64.gt if local.get $v local.set $y end
      local.get $y local.get $r f64.load offset=64 local.tee $v f64.lt if local.get $v local.set $y end
      local.get $y local.get $r f64.load offset=72 local.tee $v f64.gt if local.get $v local.set $y end
      local.get $y local.get $s local.get $Xp f64.add local.tee $v f64.gt if local.get $v local.set $y end
      local.get $y local.get $s local.get $Xm f64.sub local.tee $v f64.lt if local.get $v local.set $y end
      local.get $y local.get $smax f64.gt if local.get $smax local.set $y end
      local.get $y local.get $smin f64.lt if local.get $smin local.set $y end
      local.get $y local.get $s f64.sub local.set $x
      local.get $pp f64.load local.get $perMWh f64.div local.set $pi
      f64.const 0 local.set $c
      f64.const 0 local.set $d
      local.get $pi local.get $k f64.add local.get $ec f64.div local.get $ed local.get $pi local.get $k f64.sub f64.mul f64.ge
      if
        ;; no burning: charge or discharge, whichever moves s to y
        local.get $x f64.const 0 f64.gt
        if local.get $C local.get $x local.get $ec f64.div f64.min local.set $c end
        local.get $x f64.const 0 f64.lt
        if local.get $D local.get $x f64.neg local.get $ed f64.mul f64.min local.set $d end
      else
        local.get $shared
        if
          ;; a mix of full charge and full discharge on the shared limit
          local.get $Xp local.get $Xm f64.add f64.const 0 f64.gt
          if
            f64.const 1 f64.const 0 local.get $x local.get $Xm f64.add local.get $Xp local.get $Xm f64.add f64.div f64.max f64.min
            local.set $v
            local.get $v local.get $C f64.mul local.set $c
            f64.const 1 local.get $v f64.sub local.get $D f64.mul local.set $d
          end
        else
          local.get $x local.get $Xp local.get $Xm f64.sub f64.le
          if
            local.get $D local.set $d
            local.get $C f64.const 0 local.get $x local.get $Xm f64.add local.get $ec f64.div f64.max f64.min local.set $c
          else
            local.get $C local.set $c
            local.get $D f64.const 0 local.get $Xp local.get $x f64.sub local.get $ed f64.mul f64.max f64.min local.set $d
          end
        end
      end
      local.get $pc local.get $c f64.store
      local.get $pd local.get $d f64.store
      local.get $y local.set $s
      local.get $t i32.const 1 i32.add local.set $t
      local.get $pp i32.const 8 i32.add local.set $pp
      local.get $r i32.const 40 i32.add local.set $r
      local.get $pc i32.const 8 i32.add local.set $pc
      local.get $pd i32.const 8 i32.add local.set $pd
      br $step
    end end`,
};

/** The kernel's exports. */
export interface OracleKernel {
  memory: WasmMemory;
  backward: (T: number, prices: number, rec: number, dq: number, dqEnd: number, perMWh: number, ec: number, ed: number,
    k: number, Xp: number, Xm: number, shared: number, smin: number, smax: number, L0: number, tol: number) => number;
  forward: (T: number, prices: number, rec: number, outC: number, outD: number, perMWh: number, ec: number, ed: number,
    k: number, Xp: number, Xm: number, shared: number, C: number, D: number, smin: number, smax: number, s0: number) => void;
}

let kernel: OracleKernel | null = null;

/** The kernel, instantiated once per thread. */
export function oracleKernel(): OracleKernel {
  kernel ??= instantiate(assembleModule([BACKWARD, FORWARD])) as unknown as OracleKernel;
  return kernel;
}
