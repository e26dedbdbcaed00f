// A folder put that stops halfway, for the test of what an interrupted folder put leaves:
// it puts a Zarr folder through the built engine and, after `after` payload files, says READY
// and waits to be killed (as kill -9 would end it).
//
//   node folder-put-child.js <engine index.js> <cache dir> <key> <folder> <after>
const [engine, dir, key, folder, after] = process.argv.slice(2)
const { CacheStore, Registry } = await import(engine)
const registry = new Registry({ plugins: () => [] })
// Stands in for the zarr serializer: the folder opens if its top .zgroup is there.
registry.serializers.register('xarray.zarr', () => ({
  name: 'xarray.zarr',
  async dump() {},
  async load(target) {
    if (!(await target.backend.get(`${target.path}/.zgroup`))) throw new Error('no .zgroup')
    return { kind: 'dataset', close: async () => {} }
  },
}))
const store = await CacheStore.open(dir, { registry, onDuplicateKey: 'overwrite' })
const put = store.backend.put.bind(store.backend)
let n = 0
store.backend.put = async (path, ...rest) => {
  if (path.startsWith(`${key}/`) && ++n > Number(after)) {
    process.stdout.write('READY\n')
    setInterval(() => {}, 1 << 30)
    return new Promise(() => {})
  }
  return put(path, ...rest)
}
await store.importFolder(key, folder)
process.stdout.write('done\n')
