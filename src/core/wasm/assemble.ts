// A small assembler for the subset of the WebAssembly text format that the oracle's kernel is written in, so the
// kernel's source is text in the repository and its binary is made at load time (microseconds), with no toolchain
// and no committed build output. Why WebAssembly at all: V8 compiles it at once (Liftoff) and runs it near native
// speed from the first call, while a long JavaScript loop runs interpreted until TurboFan has compiled it, which on
// a slow machine took longer than the whole solve (see oracle.ts).
//
// Supported: one module with one exported memory and functions; i32/f64 params, locals and an optional single
// result; flat (not folded) instructions; `block`/`loop`/`if`/`else`/`end` without block results, branch labels by
// name (`br $l`), locals by name, `call $f`, `;;` comments. Instructions: see OPCODES (spec § 5.4, binary format).

/** A function of the module: params and locals as [name, type] (the body writes them `$name`), an instruction text body. */
export interface WasmFunction {
  name: string;
  params: [string, ValType][];
  result: ValType | null;
  locals: [string, ValType][];
  body: string;
  /** Exported under its name (default true). */
  export?: boolean;
}

export type ValType = 'i32' | 'f64';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, f64: 0x7c };

/** Opcodes without immediates. */
const OPCODES: Record<string, number> = {
  unreachable: 0x00, nop: 0x01, return: 0x0f, drop: 0x1a, select: 0x1b,
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'f64.eq': 0x61, 'f64.ne': 0x62, 'f64.lt': 0x63, 'f64.gt': 0x64, 'f64.le': 0x65, 'f64.ge': 0x66,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73,
  'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'f64.abs': 0x99, 'f64.neg': 0x9a, 'f64.sqrt': 0x9f, 'f64.add': 0xa0, 'f64.sub': 0xa1, 'f64.mul': 0xa2,
  'f64.div': 0xa3, 'f64.min': 0xa4, 'f64.max': 0xa5, 'f64.convert_i32_s': 0xb7,
};

/** Loads and stores: opcode and natural alignment (log2 bytes). */
const MEMORY_OPS: Record<string, [number, number]> = {
  'i32.load': [0x28, 2], 'f64.load': [0x2b, 3], 'i32.store': [0x36, 2], 'f64.store': [0x39, 3],
};

class Bytes {
  readonly out: number[] = [];
  byte(...b: number[]): this {
    this.out.push(...b);
    return this;
  }
  u32(v: number): this {
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.out.push(b);
    } while (v !== 0);
    return this;
  }
  i32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.out.push(b);
        return this;
      }
      this.out.push(b | 0x80);
    }
  }
  f64(v: number): this {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.out.push(buf.getUint8(i));
    return this;
  }
  name(s: string): this {
    const utf8 = [...s].map((c) => c.charCodeAt(0));
    return this.u32(utf8.length).byte(...utf8);
  }
  vec(items: Bytes[]): this {
    this.u32(items.length);
    for (const it of items) this.out.push(...it.out);
    return this;
  }
  section(id: number, content: Bytes): this {
    return this.byte(id).u32(content.out.length).byte(...content.out);
  }
}

/** Thrown for text the assembler does not understand; names the function and the token. */
export class WasmAssembleError extends Error {}

function compileBody(f: WasmFunction, funcIndex: Map<string, number>): Bytes {
  const local = new Map<string, number>();
  [...f.params, ...f.locals].forEach(([n], i) => local.set(`$${n}`, i));
  const code = new Bytes();
  const labels: (string | null)[] = [];
  const tokens = f.body.replace(/;;[^\n]*/g, ' ').split(/\s+/).filter(Boolean);
  const fail = (msg: string): never => {
    throw new WasmAssembleError(`${f.name}: ${msg}`);
  };
  const localIndex = (t: string | undefined) => local.get(t ?? '') ?? fail(`unknown local ${t}`);
  const labelDepth = (t: string | undefined) => {
    const d = labels.lastIndexOf(t ?? '');
    return d < 0 ? fail(`unknown label ${t}`) : labels.length - 1 - d;
  };
  for (let i = 0; i < tokens.length; i++) {
    const op = tokens[i];
    const label = () => (tokens[i + 1]?.startsWith('$') ? tokens[++i] : null);
    if (op in OPCODES) code.byte(OPCODES[op]);
    else if (op === 'block' || op === 'loop' || op === 'if') {
      code.byte(op === 'block' ? 0x02 : op === 'loop' ? 0x03 : 0x04, 0x40);
      labels.push(label());
    } else if (op === 'else') code.byte(0x05);
    else if (op === 'end') {
      if (labels.pop() === undefined) fail('end without block');
      code.byte(0x0b);
    } else if (op === 'br' || op === 'br_if') code.byte(op === 'br' ? 0x0c : 0x0d).u32(labelDepth(tokens[++i]));
    else if (op === 'local.get' || op === 'local.set' || op === 'local.tee') {
      code.byte(op === 'local.get' ? 0x20 : op === 'local.set' ? 0x21 : 0x22).u32(localIndex(tokens[++i]));
    } else if (op === 'call') code.byte(0x10).u32(funcIndex.get(tokens[++i]) ?? fail(`unknown function ${tokens[i]}`));
    else if (op === 'i32.const') code.byte(0x41).i32(Number(tokens[++i]));
    else if (op === 'f64.const') code.byte(0x44).f64(Number(tokens[++i]));
    else if (op in MEMORY_OPS) {
      const [opcode, align] = MEMORY_OPS[op];
      const m = /^offset=(\d+)$/.exec(tokens[i + 1] ?? '');
      if (m) i++;
      code.byte(opcode).u32(align).u32(m ? Number(m[1]) : 0);
    } else if (op === 'memory.copy') code.byte(0xfc).u32(10).byte(0x00, 0x00);
    else if (op === 'memory.size') code.byte(0x3f, 0x00);
    else if (op === 'memory.grow') code.byte(0x40, 0x00);
    else fail(`unknown instruction "${op}"`);
  }
  if (labels.length) fail('unclosed block');
  code.byte(0x0b);
  // Locals, one run per declared local (runs of equal types are fine for the validator).
  const body = new Bytes().vec(f.locals.map(([, t]) => new Bytes().u32(1).byte(VALTYPE[t]))).byte(...code.out);
  return new Bytes().u32(body.out.length).byte(...body.out);
}

/** Assembles a module with an exported memory `memory` (at least `minPages` 64-KiB pages) and `functions`. */
export function assembleModule(functions: WasmFunction[], minPages = 1): Uint8Array {
  const funcIndex = new Map(functions.map((f, i) => [`$${f.name}`, i]));
  const types = functions.map((f) =>
    new Bytes().byte(0x60).vec(f.params.map(([, t]) => new Bytes().byte(VALTYPE[t]))).vec(f.result ? [new Bytes().byte(VALTYPE[f.result])] : []),
  );
  const exports = [new Bytes().name('memory').byte(0x02).u32(0)];
  functions.forEach((f, i) => {
    if (f.export !== false) exports.push(new Bytes().name(f.name).byte(0x00).u32(i));
  });
  const m = new Bytes().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  m.section(1, new Bytes().vec(types));
  m.section(3, new Bytes().vec(functions.map((_, i) => new Bytes().u32(i))));
  m.section(5, new Bytes().u32(1).byte(0x00).u32(minPages));
  m.section(7, new Bytes().vec(exports));
  m.section(10, new Bytes().vec(functions.map((f) => compileBody(f, funcIndex))));
  return Uint8Array.from(m.out);
}

/** The WebAssembly JS API as far as core uses it (core compiles without the DOM library, which declares it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Compiles and instantiates synchronously (the module is small; fine in workers, Node and on a page). */
export function instantiate(bytes: Uint8Array): Record<string, unknown> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return new wasm.Instance(new wasm.Module(bytes), {}).exports;
}
