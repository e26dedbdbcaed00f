/**
 * apache-arrow's Schema.assign finds each field by name with findIndex, so it is quadratic in
 * the column count, and every RecordBatch constructor (tables built, sliced, selected) calls
 * it: a 200,000-column CSV took minutes. This replaces it, once, with the same merge (first
 * field of a name is replaced by the new one with merged metadata, new names are appended,
 * metadata and dictionaries merged) done through a name index. Imported for its effect by
 * the table modules; remove it once Arrow's own assign is linear.
 */
import { Schema, type Field } from 'apache-arrow'

function merged<K, V>(a?: Map<K, V> | null, b?: Map<K, V> | null): Map<K, V> {
  return new Map([...(a ?? new Map<K, V>()), ...(b ?? new Map<K, V>())])
}

function linearAssign(this: Schema, ...args: unknown[]): Schema {
  const first = args[0]
  const other =
    first instanceof Schema ? first : new Schema((Array.isArray(first) ? first : args) as Field[])
  const fields = [...this.fields]
  const firstIndex = new Map<string, number>()
  fields.forEach((f, i) => {
    if (!firstIndex.has(f.name)) firstIndex.set(f.name, i)
  })
  const added: Field[] = []
  for (const f of other.fields) {
    const i = firstIndex.get(f.name)
    if (i === undefined) added.push(f)
    else fields[i] = f.clone({ metadata: merged(fields[i]!.metadata, f.metadata) })
  }
  // new Schema(added) generates (and checks) the added fields' dictionaries as Arrow does.
  const dictionaries = merged(this.dictionaries, new Schema(added).dictionaries)
  return new Schema([...fields, ...added], merged(this.metadata, other.metadata), dictionaries)
}

Object.defineProperty(Schema.prototype, 'assign', {
  value: linearAssign,
  writable: true,
  configurable: true,
})
