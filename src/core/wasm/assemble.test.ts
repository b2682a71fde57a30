import { describe, expect, it } from 'vitest';
import { WasmAssembleError, assembleModule, instantiate, type WasmFunction, type WasmMemory } from './assemble.ts';

const sum: WasmFunction = {
  name: 'sum',
  params: [['ptr', 'i32'], ['n', 'i32']],
  result: 'f64',
  locals: [['i', 'i32'], ['acc', 'f64']],
  body: `
    block $done loop $next
      local.get $i local.get $n i32.ge_u br_if $done   ;; a comment
      local.get $acc local.get $ptr local.get $i i32.const 3 i32.shl i32.add f64.load f64.add local.set $acc
      local.get $i i32.const 1 i32.add local.set $i
      br $next
    end end
    local.get $acc`,
};

const clampNeg: WasmFunction = {
  name: 'clampNeg',
  params: [['x', 'f64']],
  result: 'f64',
  locals: [],
  body: `local.get $x f64.const -0.5 f64.lt if f64.const -0.5 local.set $x end local.get $x`,
};

const shift: WasmFunction = {
  name: 'shift',
  params: [['dst', 'i32'], ['src', 'i32'], ['bytes', 'i32']],
  result: 'i32',
  locals: [],
  body: `local.get $dst local.get $src local.get $bytes memory.copy i32.const -129 call $twice`,
};

const twice: WasmFunction = { name: 'twice', params: [['v', 'i32']], result: 'i32', locals: [], body: 'local.get $v i32.const 1 i32.shl', export: false };

describe('assembleModule', () => {
  it('assembles loops, labels, loads, constants and calls that run as written', () => {
    const ex = instantiate(assembleModule([sum, clampNeg, shift, twice])) as {
      memory: WasmMemory; sum: (p: number, n: number) => number; clampNeg: (x: number) => number; shift: (d: number, s: number, b: number) => number;
    };
    const f = new Float64Array(ex.memory.buffer, 0, 5);
    f.set([1.5, -2, 1e300, -1e300, 0.25]);
    expect(ex.sum(0, 5)).toBe(1.5 - 2 + 1e300 - 1e300 + 0.25);
    expect(ex.sum(8, 0)).toBe(0);
    expect(ex.clampNeg(-3)).toBe(-0.5);
    expect(ex.clampNeg(7.25)).toBe(7.25);
    // memory.copy has memmove semantics; the non-exported helper is reachable by call, and signed LEB128 works.
    expect(ex.shift(8, 0, 16)).toBe(-258);
    expect(Array.from(f.subarray(0, 3))).toEqual([1.5, 1.5, -2]);
    expect(Object.keys(ex).sort()).toEqual(['clampNeg', 'memory', 'shift', 'sum']);
  });

  it('encodes i32 constants of any size and sign', () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, -8192, 2 ** 31 - 1, -(2 ** 31)];
    const fns: WasmFunction[] = values.map((v, i) => ({ name: `c${i}`, params: [], result: 'i32', locals: [], body: `i32.const ${v}` }));
    const ex = instantiate(assembleModule(fns)) as Record<string, () => number>;
    values.forEach((v, i) => expect(ex[`c${i}`](), String(v)).toBe(v));
  });

  it('names the function and the token it does not understand', () => {
    const bad = (body: string) => () => assembleModule([{ name: 'f', params: [], result: null, locals: [], body }]);
    expect(bad('f64.frobnicate')).toThrow(new WasmAssembleError('f: unknown instruction "f64.frobnicate"'));
    expect(bad('local.get $nope drop')).toThrow('f: unknown local $nope');
    expect(bad('block $a br $b end')).toThrow('f: unknown label $b');
    expect(bad('block')).toThrow('f: unclosed block');
    expect(bad('end')).toThrow('f: end without block');
    expect(bad('call $g')).toThrow('f: unknown function $g');
  });
});
