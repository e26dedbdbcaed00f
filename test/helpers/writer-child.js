// One writer process for the atomicity tests and `npm run bench:reliability`: it writes, edits
// or deletes one key through the built engine, and can die (SIGKILL, as kill -9 would) or stop
// and say READY at a chosen point, so a parent can kill it there.
//
//   node writer-child.js <engine index.js> <cache dir> <json command>
//
// command: { op: 'put' | 'metadata' | 'delete', key, id, policy?, startAt?, waitGo?,
//            crash?: { at: number, when: 'before' | 'after', how: 'kill' | 'ready' } }
// `crash.at` is 'payload' (the put of the key's payload), 'sidecar' (the put or delete of its
// sidecar), or a number counting the engine's changing backend calls (put, delete) from 1, lock
// files included.
// A put by an even id stores a CSV (pandas.csv), by an odd id a pickle (joblib); both record
// { writer: id } in additional_metadata and in the value, so a reader can tell whose payload
// lies under whose sidecar.
const [engine, dir, json] = process.argv.slice(2)
const cmd = JSON.parse(json)
const { CacheStore } = await import(engine)
const store = await CacheStore.open(dir, { onDuplicateKey: cmd.policy ?? 'overwrite' })

let calls = 0
function stop() {
  if (cmd.crash.how === 'ready') {
    process.stdout.write('READY\n')
    setInterval(() => {}, 1 << 30)
    return new Promise(() => {})
  }
  process.kill(process.pid, 'SIGKILL')
  return new Promise(() => {})
}
// Counted always, so an unkilled run reports how many changing calls the operation makes.
{
  const backend = store.backend
  for (const name of ['put', 'delete']) {
    const original = backend[name].bind(backend)
    backend[name] = async (path, ...rest) => {
      const n = ++calls
      const at = cmd.crash?.at
      const hit =
        at === n ||
        (at === 'payload' && name === 'put' && path === cmd.key) ||
        (at === 'sidecar' && path === `xpersist_metadata_store/${cmd.key}.artifact.json`)
      if (hit && cmd.crash.when === 'before') await stop()
      const result = await original(path, ...rest)
      if (hit && cmd.crash.when === 'after') await stop()
      return result
    }
  }
}

// With `waitGo` it says WAITING and starts on the first line on stdin: racers start together
// without spinning, and a parent can time a kill from the start of the operation.
if (cmd.waitGo) {
  process.stdout.write('WAITING\n')
  // A parent that dies first closes stdin: then there is nothing to wait for.
  process.stdin.once('end', () => process.exit(1))
  await new Promise((resolve) => process.stdin.once('data', resolve))
  process.stdin.destroy()
}
// Racers spin until one shared instant, so they really start together.
while (cmd.startAt && Date.now() < cmd.startAt) continue
const meta = { writer: cmd.id }
try {
  if (cmd.op === 'put' && cmd.id % 2 === 0) {
    const csv = new TextEncoder().encode(`,writer\n0,${cmd.id}\n`)
    await store.importPayload(cmd.key, csv, { serializer: 'pandas.csv', additionalMetadata: meta })
  } else if (cmd.op === 'put') {
    await store.put(cmd.key, { writer: cmd.id }, { serializer: 'joblib', additionalMetadata: meta })
  } else if (cmd.op === 'metadata') {
    await store.updateMetadata(cmd.key, { ...meta, edited: true })
  } else if (cmd.op === 'delete') {
    await store.delete(cmd.key, { dryRun: false })
  }
  process.stdout.write(`done ${calls}\n`)
} catch (err) {
  process.stdout.write(`${err.code ?? err.message} ${calls}\n`)
}
