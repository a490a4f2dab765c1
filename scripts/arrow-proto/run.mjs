// node run.mjs WASM CSV [REPEAT]: build and loop ns per row of each variant in the wasm module.
import { readFileSync } from 'node:fs';
const [wasmPath, csvPath, rep = '5'] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { env: { now_ms: () => performance.now() } });
const x = instance.exports;
const csv = readFileSync(csvPath);
const ptr = x.alloc(csv.length);
new Uint8Array(x.memory.buffer, ptr, csv.length).set(csv);
const n = x.prepare();
const variants = [['hand', 0]];
if (x.has_arrow()) variants.push(['arrow', 1]);
const best = variants.map(() => [Infinity, Infinity, Infinity, 0]);
for (let k = 0; k < Number(rep); k++) {
  variants.forEach(([, v], i) => {
    const p = x.run(v);
    const [b, h, t, c] = new Float64Array(x.memory.buffer, p, 4);
    best[i] = [Math.min(best[i][0], b), Math.min(best[i][1], h), Math.min(best[i][2], t), c];
  });
}
variants.forEach(([name], i) => {
  const [b, h, t, c] = best[i];
  console.log(`${name.padEnd(6)} rows ${n} build ${(b / n * 1e6).toFixed(1)} ns/row (4 text columns ${(t / n * 1e6).toFixed(1)}, 4 number columns ${((b - t) / n * 1e6).toFixed(1)})  loop ${(h / n * 1e6).toFixed(2)} ns/row  checksum ${c}  memory ${x.memory.buffer.byteLength / 2 ** 20} MiB`);
});
